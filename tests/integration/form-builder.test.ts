import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { schema } from "../../app/server/platform/schema.server";
import { db } from "../../app/server/platform/db.server";
import { countAll } from "../../app/server/platform/dialect.server";
import { getForm } from "../../app/server/catalog/catalog.server";
import { readDraft } from "../../app/core/forms/builder";
import * as list from "../../app/routes/admin.forms._index";
import * as builder from "../../app/routes/admin.forms.$code";
import * as preview from "../../app/routes/admin.forms.$code_.preview";
import * as previewNoScript from "../../app/routes/admin.forms.$code_.preview_.no-script";
import * as adminLayout from "../../app/routes/admin";
import { newCitizen, signInAs } from "../fixtures/accounts";
import { saveFormDraft } from "../../app/server/forms/form-drafts.server";
import { validAnswers } from "../fixtures/answers";
import { FORGED_PDF_BYTES, PDF_BYTES } from "../fixtures/files";
import { FormDefinitionSchema } from "../../app/core/forms/definition";
import { formOf, get, post, run, sectionLinks, type Outcome } from "./helpers";

/**
 * The form builder (issue 16) through its routes: the list in the administrator's scope, a draft
 * started from the published form (or empty), edits saved with their event, refused edits writing
 * nothing, a save over someone else's refused, publishing refused with its problems tied to fields,
 * and the preview answering without keeping anything. On SQLite and PostgreSQL.
 */

const CRIMINAL_RECORD = "3.000333"; // Hà Nội police: a published form (version 3) with a fee per copy
const NO_FORM = "2.001263"; // Hà Nội, Ba Đình: no online form yet
const BAC_NINH = "2.000635";

const ListSchema = z.object({
  result: z.object({
    items: z.array(z.object({ code: z.string(), publishedVersion: z.number().nullable(), draftUpdatedAt: z.number().nullable() })),
    total: z.number(),
  }),
});
const PageSchema = z.object({
  published: z.object({ version: z.number() }).nullable(),
  draft: z.object({ updatedAt: z.number(), basedOnVersion: z.number().nullable() }).nullable(),
  overview: z
    .object({ sections: z.array(z.object({ title: z.string(), fields: z.array(z.object({ path: z.string(), name: z.string(), type: z.string() })) })) })
    .nullable(),
  problems: z.array(z.object({ what: z.object({ key: z.string() }).loose(), path: z.string().optional() }).loose()),
  missingEnglish: z.array(z.object({ what: z.string() }).loose()),
  view: z.object({ kind: z.string() }).loose(),
});
const MessageSchema = z.object({ key: z.string(), params: z.record(z.string(), z.string()).optional() });
const AnswerSchema = z.object({
  errors: z.record(z.string(), z.union([z.string(), MessageSchema])),
  problems: z.array(z.object({ where: MessageSchema, what: MessageSchema, path: z.string().optional() }).loose()).nullable(),
});

let hanoiAdmin: { id: number; cookie: string };
let bacNinhAdmin: { id: number; cookie: string };

beforeAll(async () => {
  hanoiAdmin = await signInAs("quan.tri.hanoi@example.vn");
  bacNinhAdmin = await signInAs("quan.tri.bacninh@example.vn");
});

const page = async (cookie: string, code: string, search = "") => {
  const res = await run(builder.loader, get(`/admin/forms/${code}${search}`, cookie), { code });
  expect(res.status).toBe(200);
  return PageSchema.parse(res.data);
};
const send = (cookie: string, code: string, values: Record<string, string | string[]>) =>
  run(builder.action, post(`/admin/forms/${code}`, formOf(values), cookie), { code });
const draftRow = async (code: string) => {
  const [p] = await db().select({ id: schema.procedures.id }).from(schema.procedures).where(eq(schema.procedures.code, code));
  if (!p) throw new Error(code);
  const [row] = await db().select().from(schema.formDrafts).where(eq(schema.formDrafts.procedureId, p.id));
  return { procedureId: p.id, row };
};
const draftEvents = async (procedureId: number) =>
  db()
    .select()
    .from(schema.dossierEvents)
    .where(and(eq(schema.dossierEvents.type, "form_draft_saved"), eq(schema.dossierEvents.procedureId, procedureId)));
const rows = async () => ({
  drafts: (await db().select({ n: countAll() }).from(schema.formDrafts))[0]?.n,
  events: (await db().select({ n: countAll() }).from(schema.dossierEvents))[0]?.n,
});
/** The field editor's post of the question "is the father known?" (a radio, "co" or "khong"). */
const fatherQuestion = (extra: Record<string, string | string[]>) => ({
  name: "has_father",
  type: "radio",
  label_vi: "Có thông tin người cha không?",
  label_en: "",
  hint_vi: "",
  hint_en: "",
  required: "yes",
  prefill: "",
  visible_mode: "none",
  option_count: "2",
  option_0_value: "co",
  option_0_vi: "Có",
  option_0_en: "Yes",
  option_1_value: "khong",
  option_1_vi: "Không",
  option_1_en: "No",
  ...extra,
});
const expectSaved = (res: Outcome, view: RegExp) => {
  expect(res.status).toBe(302);
  expect(res.location).toMatch(view);
};

describe("the form builder", () => {
  it("lists the procedures in the administrator's scope with their form's state, and is in the area's navigation", async () => {
    const res = await run(list.loader, get("/admin/forms?q=ly+lich+tu+phap", hanoiAdmin.cookie));
    const found = ListSchema.parse(res.data).result.items;
    expect(found.find((p) => p.code === CRIMINAL_RECORD)).toEqual({ code: CRIMINAL_RECORD, publishedVersion: 3, draftUpdatedAt: null });
    const noForm = ListSchema.parse((await run(list.loader, get(`/admin/forms?q=${NO_FORM}`, hanoiAdmin.cookie))).data).result.items;
    expect(noForm).toEqual([{ code: NO_FORM, publishedVersion: null, draftUpdatedAt: null }]);
    const bacNinh = ListSchema.parse((await run(list.loader, get(`/admin/forms?q=${CRIMINAL_RECORD}`, bacNinhAdmin.cookie))).data).result;
    expect(bacNinh.total).toBe(0);
    expect(sectionLinks((await run(adminLayout.loader, get("/admin", hanoiAdmin.cookie))).data)).toContain("/admin/forms");
  });

  it("answers 404 outside the scope and 403 to a citizen, writing nothing", async () => {
    const before = await rows();
    expect((await run(builder.loader, get(`/admin/forms/${CRIMINAL_RECORD}`, bacNinhAdmin.cookie), { code: CRIMINAL_RECORD })).status).toBe(404);
    expect((await send(bacNinhAdmin.cookie, CRIMINAL_RECORD, { intent: "start" })).status).toBe(404);
    expect((await run(preview.loader, get(`/admin/forms/${BAC_NINH}/preview`, hanoiAdmin.cookie), { code: BAC_NINH })).status).toBe(404);
    const citizen = await newCitizen();
    expect((await send(citizen.cookie, CRIMINAL_RECORD, { intent: "start" })).status).toBe(403);
    expect((await run(list.loader, get("/admin/forms", citizen.cookie))).status).toBe(403);
    expect(await rows()).toEqual(before);
  });

  it("starts a draft as a copy of the published form, with its event, and starting again keeps it", async () => {
    const before = await page(hanoiAdmin.cookie, CRIMINAL_RECORD);
    expect(before.draft).toBeNull();
    expectSaved(await send(hanoiAdmin.cookie, CRIMINAL_RECORD, { intent: "start" }), /notice=saved/);
    const { procedureId, row } = await draftRow(CRIMINAL_RECORD);
    const published = await getForm(procedureId, 3);
    if (!published) throw new Error("no published form");
    const { version: _v, ...rest } = published.definition;
    expect(readDraft(row?.definition)).toEqual(readDraft(JSON.parse(JSON.stringify(rest))));
    expect(row?.basedOnVersion).toBe(3);
    expect(row?.updatedBy).toBe(hanoiAdmin.id);
    const events = await draftEvents(procedureId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: hanoiAdmin.id, actorRole: "agency_admin", data: { code: CRIMINAL_RECORD, started: true, basedOnVersion: 3 } });
    expectSaved(await send(hanoiAdmin.cookie, CRIMINAL_RECORD, { intent: "start" }), /notice=saved/);
    expect(await draftEvents(procedureId)).toHaveLength(1);
    // The copy is publishable as it is.
    expect((await page(hanoiAdmin.cookie, CRIMINAL_RECORD)).problems).toEqual([]);
  });

  it("builds a new form with plain posts: a section, fields, a condition and a fee, each save with its event", async () => {
    expectSaved(await send(hanoiAdmin.cookie, NO_FORM, { intent: "start" }), /notice=saved/);
    let current = await page(hanoiAdmin.cookie, NO_FORM);
    expect(current.overview?.sections).toEqual([{ title: "Thông tin chung", fields: [] }]);
    // An empty section cannot be published: the problem names the section.
    expect(current.problems.length).toBeGreaterThan(0);
    const version = () => String(current.draft?.updatedAt);

    expectSaved(await send(hanoiAdmin.cookie, NO_FORM, { intent: "field-add:0", new_type_0: "radio", updatedAt: version() }), /field=0\.0/);
    current = await page(hanoiAdmin.cookie, NO_FORM, "?field=0.0");
    expect(current.view.kind).toBe("field");
    expectSaved(await send(hanoiAdmin.cookie, NO_FORM, fatherQuestion({ intent: "field-save:0.0", updatedAt: version() })), /field=0\.0/);
    current = await page(hanoiAdmin.cookie, NO_FORM);
    expect(current.missingEnglish).toEqual([{ what: "label", vi: "Có thông tin người cha không?", path: "0.0" }]);

    // The father's name, shown only when there is one (a simple condition); then copies and their fee.
    expectSaved(await send(hanoiAdmin.cookie, NO_FORM, { intent: "field-add:0", new_type_0: "text", updatedAt: version() }), /field=0\.1/);
    current = await page(hanoiAdmin.cookie, NO_FORM);
    const textPost = {
      intent: "field-save:0.1",
      name: "father_name",
      type: "text",
      label_vi: "Họ tên người cha",
      label_en: "Father's full name",
      hint_vi: "",
      hint_en: "",
      required: "yes",
      prefill: "",
      visible_mode: "simple",
      visible_field: "has_father",
      visible_op: "eq",
      visible_value: "co",
      prop_maxLength: "120",
      updatedAt: version(),
    };
    expectSaved(await send(hanoiAdmin.cookie, NO_FORM, textPost), /field=0\.1/);
    const { procedureId, row } = await draftRow(NO_FORM);
    const saved = readDraft(row?.definition);
    expect(saved.sections[0]?.fields[1]).toEqual({
      type: "text",
      name: "father_name",
      label: { vi: "Họ tên người cha", en: "Father's full name" },
      required: true,
      visibleIf: { "==": [{ var: "has_father" }, "co"] },
      maxLength: 120,
    });
    current = await page(hanoiAdmin.cookie, NO_FORM);
    expectSaved(await send(hanoiAdmin.cookie, NO_FORM, { intent: "field-add:0", new_type_0: "number", updatedAt: version() }), /field=0\.2/);
    current = await page(hanoiAdmin.cookie, NO_FORM);
    expectSaved(
      await send(hanoiAdmin.cookie, NO_FORM, {
        intent: "field-save:0.2",
        name: "copies",
        type: "number",
        label_vi: "Số bản sao",
        label_en: "Number of copies",
        hint_vi: "",
        hint_en: "",
        required: "yes",
        prefill: "",
        visible_mode: "none",
        prop_min: "1",
        prop_max: "10",
        prop_integer: "on",
        updatedAt: version(),
      }),
      /field=0\.2/,
    );
    current = await page(hanoiAdmin.cookie, NO_FORM);
    expectSaved(
      await send(hanoiAdmin.cookie, NO_FORM, {
        intent: "fee-save",
        fee_mode: "per_unit",
        fee_field: "copies",
        fee_unit: "5.000",
        fee_from: "2",
        fee_json: "",
        updatedAt: version(),
      }),
      /notice=saved/,
    );
    const withFee = readDraft((await draftRow(NO_FORM)).row?.definition);
    expect(withFee.fee).toEqual({ "+": [{ var: "procedure_fee" }, { "*": [5000, { max: [0, { "-": [{ var: "copies" }, 1] }] }] }] });
    // Start + field-add ×3 + field-save ×3 + fee: each its own event.
    expect(await draftEvents(procedureId)).toHaveLength(8);
    current = await page(hanoiAdmin.cookie, NO_FORM);
    expect(current.problems).toEqual([]);

    // Previewed as a citizen: the father's name appears once the answer says there is one, and the fee follows the copies.
    const first = await run(preview.loader, get(`/admin/forms/${NO_FORM}/preview`, hanoiAdmin.cookie), { code: NO_FORM });
    expect(first.status).toBe(200);
    const PreviewSchema = z.object({
      form: z.object({
        visibility: z.object({ hidden: z.array(z.string()) }).optional(),
        errors: z.record(z.string(), z.string()),
        texts: z.object({ accepted: z.string().nullable() }),
      }),
    });
    // Not answered yet: the father's name is not asked.
    expect(PreviewSchema.parse(first.data).form.visibility?.hidden).toEqual(["father_name"]);
    const before = await rows();
    const hidden = await run(
      previewNoScript.action,
      post(`/admin/forms/${NO_FORM}/preview/no-script`, formOf({ has_father: "khong", copies: "3", intent: "continue" }), hanoiAdmin.cookie),
      { code: NO_FORM },
    );
    expect(hidden.status).toBe(200);
    const accepted = PreviewSchema.parse(hidden.data).form;
    expect(accepted.visibility?.hidden).toEqual(["father_name"]);
    expect(accepted.texts.accepted).toMatch(/10[.,]000/);
    const missing = await run(
      preview.action,
      post(`/admin/forms/${NO_FORM}/preview`, formOf({ has_father: "co", copies: "1", intent: "continue" }), hanoiAdmin.cookie),
      { code: NO_FORM },
    );
    expect(missing.status).toBe(400);
    expect(PreviewSchema.parse(missing.data).form.visibility?.hidden).toEqual([]);
    expect(PreviewSchema.parse(missing.data).form.errors).toEqual({ father_name: "form.errors.required" });
    expect(await rows()).toEqual(before);
  });

  it("renames a field in its editor and every rule reading it follows; a name already used is refused, writing nothing", async () => {
    let current = await page(hanoiAdmin.cookie, NO_FORM, "?field=0.0");
    const renamePost = (name: string) =>
      fatherQuestion({ intent: "field-save:0.0", name, label_en: "Is the father known?", updatedAt: String(current.draft?.updatedAt) });
    const before = await rows();
    const taken = await send(hanoiAdmin.cookie, NO_FORM, renamePost("copies"));
    expect(taken.status).toBe(400);
    expect(AnswerSchema.parse(taken.data).errors).toEqual({ name: "form_admin.errors.name_taken" });
    expect(await rows()).toEqual(before);

    expectSaved(await send(hanoiAdmin.cookie, NO_FORM, renamePost("father_known")), /field=0\.0/);
    const renamed = readDraft((await draftRow(NO_FORM)).row?.definition);
    expect(renamed.sections[0]?.fields.map((f) => f.name)).toEqual(["father_known", "father_name", "copies"]);
    expect(renamed.sections[0]?.fields[1]?.visibleIf).toEqual({ "==": [{ var: "father_known" }, "co"] });
    current = await page(hanoiAdmin.cookie, NO_FORM);
    expect(current.problems).toEqual([]);
    // The preview still shows the father's name for "co" only.
    const shown = await run(
      previewNoScript.action,
      post(`/admin/forms/${NO_FORM}/preview/no-script`, formOf({ father_known: "co", copies: "1", intent: "continue" }), hanoiAdmin.cookie),
      { code: NO_FORM },
    );
    expect(z.object({ form: z.object({ errors: z.record(z.string(), z.string()) }) }).parse(shown.data).form.errors).toEqual({
      father_name: "form.errors.required",
    });
  });

  it("refuses a wrong edit and a save over someone else's, writing nothing", async () => {
    const current = await page(hanoiAdmin.cookie, NO_FORM);
    const before = await rows();
    const wrong = await send(hanoiAdmin.cookie, NO_FORM, {
      intent: "field-save:0.1",
      name: "Father Name",
      type: "text",
      label_vi: "",
      label_en: "",
      hint_vi: "",
      hint_en: "",
      required: "yes",
      prefill: "",
      visible_mode: "json",
      visible_json: '{"method": ["x", "y"]}',
      updatedAt: String(current.draft?.updatedAt),
    });
    expect(wrong.status).toBe(400);
    expect(AnswerSchema.parse(wrong.data).errors).toEqual({
      name: "form_admin.errors.name_format",
      label_vi: "form_admin.errors.vi_required",
      // The rule checker's finding, with what it found: shown in the administrator's language.
      visible_json: { key: "form_admin.checks.rule.unknown_operator", params: expect.objectContaining({ op: "method", at: "rule" }) },
    });
    const stale = await send(hanoiAdmin.cookie, NO_FORM, {
      intent: "section-add",
      title_vi: "Khác",
      title_en: "",
      updatedAt: String((current.draft?.updatedAt ?? 0) - 1),
    });
    expect(stale.status).toBe(409);
    expect(AnswerSchema.parse(stale.data).errors).toEqual({ _form: "form_admin.errors.stale" });
    expect(await rows()).toEqual(before);
  });

  it("refuses to publish a broken draft, each problem tied to its field", async () => {
    let current = await page(hanoiAdmin.cookie, NO_FORM);
    // A rule naming a field the form does not have.
    expectSaved(
      await send(hanoiAdmin.cookie, NO_FORM, {
        intent: "field-save:0.1",
        name: "father_name",
        type: "text",
        label_vi: "Họ tên người cha",
        label_en: "Father's full name",
        hint_vi: "",
        hint_en: "",
        required: "yes",
        prefill: "",
        visible_mode: "json",
        visible_json: '{"==": [{"var": "no_such_field"}, "co"]}',
        updatedAt: String(current.draft?.updatedAt),
      }),
      /field=0\.1/,
    );
    current = await page(hanoiAdmin.cookie, NO_FORM);
    const before = await rows();
    const refused = await send(hanoiAdmin.cookie, NO_FORM, { intent: "publish", updatedAt: String(current.draft?.updatedAt) });
    expect(refused.status).toBe(400);
    expect(AnswerSchema.parse(refused.data).problems).toEqual([
      {
        where: { key: "form_admin.checks.place.field", params: { name: "father_name" } },
        what: { key: "form_admin.checks.unknown_field", params: { name: "no_such_field" } },
        rule: "shown",
        path: "0.1",
      },
    ]);
    expect(await rows()).toEqual(before);
  });

  it("checks a preview's files as the application form does, keeping none", async () => {
    // The criminal-record draft (started above), its exemption document made required.
    const current = await page(hanoiAdmin.cookie, CRIMINAL_RECORD);
    const { row } = await draftRow(CRIMINAL_RECORD);
    const draft = readDraft(row?.definition);
    for (const section of draft.sections) for (const f of section.fields) if (f.name === "giay_to_mien_giam") f.required = true;
    const manager = { id: hanoiAdmin.id, role: "agency_admin", agencyPath: "/" };
    expect(await saveFormDraft({ manager, code: CRIMINAL_RECORD, definition: draft, expectedUpdatedAt: current.draft?.updatedAt ?? 0 })).toMatchObject({
      ok: true,
    });
    const def = FormDefinitionSchema.parse({ ...draft, version: 4 });
    const answers = Object.fromEntries(Object.entries(validAnswers(def)).filter(([name]) => name !== "giay_to_mien_giam"));
    const previewWith = (file?: Uint8Array) =>
      run(
        previewNoScript.action,
        post(
          `/admin/forms/${CRIMINAL_RECORD}/preview/no-script`,
          formOf({
            ...answers,
            intent: "continue",
            ...(file ? { giay_to_mien_giam: new File([new Uint8Array(file)], "giay.pdf", { type: "application/pdf" }) } : {}),
          }),
          hanoiAdmin.cookie,
        ),
        { code: CRIMINAL_RECORD },
      );
    const ErrorsSchema = z.object({ form: z.object({ errors: z.record(z.string(), z.string()), texts: z.object({ accepted: z.string().nullable() }) }) });
    const before = await rows();
    expect(ErrorsSchema.parse((await previewWith()).data).form.errors).toEqual({ giay_to_mien_giam: "form.errors.file_required" });
    expect(ErrorsSchema.parse((await previewWith(FORGED_PDF_BYTES)).data).form.errors).toEqual({ giay_to_mien_giam: expect.stringMatching(/^form\.errors\./) });
    const accepted = await previewWith(PDF_BYTES);
    expect(accepted.status).toBe(200);
    expect(ErrorsSchema.parse(accepted.data).form.texts.accepted).toMatch(/200[.,]000/);
    expect(await rows()).toEqual(before);
  });

  it("publishes a draft as the procedure's next version through publishForm, closing the draft", async () => {
    // The criminal-record draft (version 3 copied, its exemption document made required above).
    const current = await page(hanoiAdmin.cookie, CRIMINAL_RECORD);
    const { procedureId } = await draftRow(CRIMINAL_RECORD);
    const published = await send(hanoiAdmin.cookie, CRIMINAL_RECORD, { intent: "publish", updatedAt: String(current.draft?.updatedAt) });
    expect(published.status).toBe(302);
    expect(published.location).toMatch(/notice=published/);
    expect((await draftRow(CRIMINAL_RECORD)).row).toBeUndefined();
    const form = await getForm(procedureId);
    expect(form?.version).toBe(4);
    expect(form?.definition.sections.flatMap((s) => s.fields).find((f) => f.name === "giay_to_mien_giam")?.required).toBe(true);
    const [event] = await db()
      .select()
      .from(schema.dossierEvents)
      .where(and(eq(schema.dossierEvents.type, "form_published"), eq(schema.dossierEvents.procedureId, procedureId)));
    expect(event).toMatchObject({ actorId: hanoiAdmin.id, data: { code: CRIMINAL_RECORD, version: 4 } });
    const listed = ListSchema.parse((await run(list.loader, get(`/admin/forms?q=${CRIMINAL_RECORD}`, hanoiAdmin.cookie))).data).result.items;
    expect(listed).toEqual([{ code: CRIMINAL_RECORD, publishedVersion: 4, draftUpdatedAt: null }]);
    // A new draft starts from the version now published.
    expectSaved(await send(hanoiAdmin.cookie, CRIMINAL_RECORD, { intent: "start" }), /notice=saved/);
    expect((await page(hanoiAdmin.cookie, CRIMINAL_RECORD)).draft?.basedOnVersion).toBe(4);
  });

  it("discards a draft after asking, with its event, leaving the published version as it was; a stale or replayed discard is refused", async () => {
    // The criminal-record draft started on version 4 above.
    const confirm = await page(hanoiAdmin.cookie, CRIMINAL_RECORD, "?confirm=discard");
    expect(confirm.view.kind).toBe("discard");
    const version = String(confirm.draft?.updatedAt);
    const { procedureId } = await draftRow(CRIMINAL_RECORD);
    const discardedEvents = () =>
      db()
        .select()
        .from(schema.dossierEvents)
        .where(and(eq(schema.dossierEvents.type, "form_draft_discarded"), eq(schema.dossierEvents.procedureId, procedureId)));
    const before = await rows();
    // Outside the scope, a citizen, and a draft changed since the page was made: nothing is discarded.
    expect((await send(bacNinhAdmin.cookie, CRIMINAL_RECORD, { intent: "discard", updatedAt: version })).status).toBe(404);
    expect((await send((await newCitizen()).cookie, CRIMINAL_RECORD, { intent: "discard", updatedAt: version })).status).toBe(403);
    const stale = await send(hanoiAdmin.cookie, CRIMINAL_RECORD, { intent: "discard", updatedAt: String(Number(version) - 1) });
    expect(stale.status).toBe(409);
    expect(AnswerSchema.parse(stale.data).errors).toEqual({ _form: "form_admin.errors.stale" });
    expect(await rows()).toEqual(before);

    const discarded = await send(hanoiAdmin.cookie, CRIMINAL_RECORD, { intent: "discard", updatedAt: version });
    expect(discarded.status).toBe(302);
    expect(discarded.location).toMatch(/notice=discarded/);
    expect((await draftRow(CRIMINAL_RECORD)).row).toBeUndefined();
    const events = await discardedEvents();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: hanoiAdmin.id, actorRole: "agency_admin", data: { code: CRIMINAL_RECORD, basedOnVersion: 4 } });
    // The published version is untouched: still version 4, offered to citizens.
    expect((await getForm(procedureId))?.version).toBe(4);
    const after = await page(hanoiAdmin.cookie, CRIMINAL_RECORD);
    expect(after).toMatchObject({ draft: null, published: { version: 4 } });
    // The same post again (a replay, or a second tab): the draft is gone, so it is stale, and nothing more is recorded.
    expect((await send(hanoiAdmin.cookie, CRIMINAL_RECORD, { intent: "discard", updatedAt: version })).status).toBe(409);
    expect(await discardedEvents()).toHaveLength(1);
  });
});
