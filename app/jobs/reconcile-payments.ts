// `npm run payments:reconcile`: settles pending payments whose IPN never arrived, once, and prints what it did.
import { bootstrap } from "../server/platform/bootstrap.server";
import { env, querydrUrl } from "../server/platform/env.server";
import { httpQuerydr, reconcilePayments } from "../server/payments/payments.server";

// Run on its own, it prepares the database as the portal's start-up does.
await bootstrap();

const summary = await reconcilePayments({ query: httpQuerydr(querydrUrl(env())) });
console.log(JSON.stringify(summary));
