import { readySearch } from "../catalog/catalog.server";
import { READ_EVERY_MS, readSharedGenerations } from "../catalog/shared-generations.server";
import { deliverPendingNotifications, senderFromEnv } from "../notifications/notifications.server";
import { httpQuerydr, reconcilePayments } from "../payments/payments.server";
import { env, querydrUrl } from "./env.server";
import { sweepStorage } from "./storage-sweep.server";

/**
 * The portal's background jobs, started here and nowhere else: server.js calls this once it listens
 * (after bootstrap). Notification delivery every five seconds (`npm run notifications:deliver` runs
 * it once); reconciliation every five minutes: pending payments whose IPN was lost are settled from
 * the gateway's status query (`npm run payments:reconcile`); the storage sweep every hour; search made
 * ready at once and every minute (readySearch); the caches' generations another process may have
 * changed read every second. The timers are unref'd, so they never keep a process alive on their own.
 */
export function startJobs(): void {
  let generationsFailing = false; // one line in the log when reading starts failing, not one a second
  const generations = () =>
    readSharedGenerations().then(
      () => {
        generationsFailing = false;
      },
      (error: unknown) => {
        if (!generationsFailing) console.error("reading the caches' generations failed", error);
        generationsFailing = true;
      },
    );
  void generations();
  setInterval(() => void generations(), READ_EVERY_MS).unref();

  const search = () => readySearch().catch((error: unknown) => console.error("readying search failed", error));
  void search();
  setInterval(() => void search(), 60_000).unref();

  const sender = senderFromEnv();
  let delivering = false; // a slow provider must not make two runs send the same message
  const delivery = setInterval(() => {
    if (delivering) return;
    delivering = true;
    deliverPendingNotifications({ sender, limit: 50 })
      .then(
        (summary) => {
          if (summary.retrying + summary.failed > 0) console.log(`notifications: ${JSON.stringify(summary)}`);
        },
        (error: unknown) => console.error("notification delivery failed", error),
      )
      .finally(() => {
        delivering = false;
      });
  }, 5_000);
  delivery.unref();

  const query = httpQuerydr(querydrUrl(env()));
  const timer = setInterval(() => {
    reconcilePayments({ query }).then(
      (summary) => {
        if (summary.checked > 0 || summary.flagged > 0) console.log(`reconciliation: ${JSON.stringify(summary)}`);
      },
      (error: unknown) => console.error("reconciliation failed", error),
    );
  }, 5 * 60_000);
  timer.unref();

  // Stored files no row refers to (`npm run storage:sweep` runs it once).
  const sweep = setInterval(() => {
    sweepStorage().then(
      (summary) => {
        if (summary.removed > 0) console.log(`storage sweep: ${JSON.stringify(summary)}`);
      },
      (error: unknown) => console.error("storage sweep failed", error),
    );
  }, 60 * 60_000);
  sweep.unref();
}
