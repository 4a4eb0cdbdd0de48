import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Pagination } from "~/components/pagination";
import { CHANNELS, DUE_BUCKETS, QUEUE_SORTS, SORT_DIRECTIONS } from "~/core/dossiers/queue";
import { STATUS, statusName } from "~/core/dossiers/status";
import { requireOfficer } from "~/server/auth/guards.server";
import { getT } from "~/server/platform/i18n.server";
import { getQueue, queueProcedureOptions, QueueQuerySchema } from "~/server/dossiers/officer-queue.server";
import { formatDate, formatNumber, pickLang } from "~/utils/format";
import { TableScroll } from "~/components/table-scroll";
import { ReceiptCode } from "~/components/receipt-code";

/** Officers work in this list all day: it takes the screen's whole width (root.tsx). */
export const handle = { wide: true };

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title ?? "" }];

/** The officer's queue: filters, search and deadline flags over the officer's agency subtree. */
export async function loader({ request }: LoaderFunctionArgs) {
  const officer = await requireOfficer(request, "dossier:read");
  const query = QueueQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const t = await getT(request);
  const queue = await getQueue({ agencyPath: officer.agencyPath, query });
  // The search box is refilled from the URL, not from here: the loader never echoes a typed CCCD back.
  const { q: _typed, ...filters } = query;
  return { title: t("officer.queue_title"), query: filters, queue, procedures: await queueProcedureOptions({ agencyPath: officer.agencyPath }) };
}

const STATUS_CODES = Object.values(STATUS).filter((code) => code !== STATUS.draft);

export default function OfficerQueue() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { query, queue, procedures } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const pages = Math.max(queue.pageCount, 1);
  return (
    <>
      <h1>{t("officer.queue_title")}</h1>
      <p>
        <Link to="/officer/intake" className="button button--secondary">
          {t("officer.intake_link")}
        </Link>
      </p>

      <section aria-labelledby="queue-summary-title" className="queue-summary">
        <h2 id="queue-summary-title" className="visually-hidden">
          {t("queue.summary_title")}
        </h2>
        <p>
          {DUE_BUCKETS.map((bucket, i) => (
            <span key={bucket}>
              {i > 0 ? " · " : null}
              <Link to={`?due=${bucket}`} className={`queue-count queue-count--${bucket}`}>
                {t(`queue.bucket_${bucket}`, { count: queue.buckets[bucket] })}
              </Link>
            </span>
          ))}
        </p>
        <p className="hint">{t("queue.summary_note", { date: formatDate(queue.thresholds.today, lang) })}</p>
      </section>

      <Form method="get" className="filters filters--queue" role="search" aria-label={t("queue.filters")}>
        <div className="form-group">
          <label htmlFor="q">{t("queue.search_label")}</label>
          <span className="hint" id="q-hint">
            {t("queue.search_hint")}
          </span>
          <input id="q" type="search" name="q" defaultValue={params.get("q") ?? ""} aria-describedby="q-hint" maxLength={200} />
        </div>
        <div className="form-group">
          <label htmlFor="status">{t("queue.status")}</label>
          <select id="status" name="status" defaultValue={String(query.status)}>
            <option value="open">{t("queue.status_open")}</option>
            <option value="all">{t("queue.status_all")}</option>
            {STATUS_CODES.map((code) => (
              <option key={code} value={code}>
                {t(`status.${statusName(code)}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="procedure">{t("queue.procedure")}</label>
          <select id="procedure" name="procedure" defaultValue={query.procedure ?? ""}>
            <option value="">{t("queue.all_procedures")}</option>
            {procedures.map((p) => (
              <option key={p.code} value={p.code}>
                {p.code} – {pickLang(p.nameVi, p.nameEn, lang)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="channel">{t("queue.channel")}</label>
          <select id="channel" name="channel" defaultValue={query.channel ?? ""}>
            <option value="">{t("queue.all_channels")}</option>
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(`officer.channel_${c}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="due">{t("queue.due")}</label>
          <select id="due" name="due" defaultValue={query.due ?? ""}>
            <option value="">{t("queue.all_due")}</option>
            {DUE_BUCKETS.map((b) => (
              <option key={b} value={b}>
                {t(`queue.due_${b}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="sort">{t("queue.sort")}</label>
          <select id="sort" name="sort" defaultValue={query.sort}>
            {QUEUE_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`queue.sort_${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-group">
          <label htmlFor="dir">{t("queue.dir")}</label>
          <select id="dir" name="dir" defaultValue={query.dir}>
            {SORT_DIRECTIONS.map((dir) => (
              <option key={dir} value={dir}>
                {t(`queue.dir_${dir}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="button-group">
          <button type="submit" className="button">
            {t("queue.apply")}
          </button>
          <Link to="/officer">{t("queue.reset")}</Link>
        </div>
      </Form>

      <p role="status">{t("queue.result_count", { count: queue.total, formatted: formatNumber(queue.total, lang) })}</p>
      {queue.items.length === 0 ? (
        <p>{t("queue.empty")}</p>
      ) : (
        <TableScroll label={t("queue.caption", { page: queue.page, pages })}>
          {/*
            One line per dossier on a desktop (the procedure name cut to fit, whole in the cell's text and
            its tooltip); stacked on a phone. The phone number is left to the dossier page: a masked tail
            identifies no one the CCCD does not, and its column cost the procedure name its width.
          */}
          <table className="queue-table stack-table">
            <caption className="visually-hidden">{t("queue.caption", { page: queue.page, pages })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("receipt.code")}</th>
                <th scope="col">{t("queue.deadline")}</th>
                <th scope="col">{t("receipt.appointment")}</th>
                <th scope="col">{t("receipt.procedure")}</th>
                <th scope="col">{t("receipt.applicant")}</th>
                <th scope="col">{t("queue.cccd")}</th>
                <th scope="col">{t("queue.channel")}</th>
                <th scope="col">{t("receipt.submitted_at")}</th>
                <th scope="col">{t("receipt.status")}</th>
              </tr>
            </thead>
            <tbody>
              {queue.items.map((r) => {
                const procedure = pickLang(r.procedureVi, r.procedureEn, lang);
                return (
                  <tr key={r.receiptCode} className={r.deadline === "overdue" || r.deadline === "soon" ? `queue-row--${r.deadline}` : undefined}>
                    <th scope="row" data-label={t("receipt.code")}>
                      {r.receiptCode ? (
                        <Link to={`/officer/dossiers/${r.receiptCode}`}>
                          <ReceiptCode code={r.receiptCode} />
                        </Link>
                      ) : (
                        "—"
                      )}
                    </th>
                    <td data-label={t("queue.deadline")}>
                      {r.deadline ? <span className={`deadline-badge deadline-badge--${r.deadline}`}>{t(`queue.due_${r.deadline}`)}</span> : "—"}
                    </td>
                    <td data-label={t("receipt.appointment")}>
                      {r.dueOn ? formatDate(r.dueOn, lang) : "—"}
                      {r.rescheduledOn ? (
                        <span className="queue-rescheduled"> · {t("queue.new_date", { date: formatDate(r.rescheduledOn, lang) })}</span>
                      ) : null}
                    </td>
                    <td data-label={t("receipt.procedure")} className="queue-table__fill">
                      <span className="truncate" title={procedure}>
                        {procedure}
                      </span>
                    </td>
                    <td data-label={t("receipt.applicant")}>
                      <span className="truncate queue-table__name" title={r.applicantName ?? undefined}>
                        {r.applicantName ?? "—"}
                      </span>
                    </td>
                    <td data-label={t("queue.cccd")}>{r.applicantCccd ?? "—"}</td>
                    <td data-label={t("queue.channel")}>{t(`queue.channel_short_${r.channel}`)}</td>
                    <td data-label={t("receipt.submitted_at")}>{r.submittedOn ? formatDate(r.submittedOn, lang) : "—"}</td>
                    <td data-label={t("receipt.status")}>{t(`status.${statusName(r.status)}`)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pagination page={queue.page} pageCount={queue.pageCount} />
    </>
  );
}
