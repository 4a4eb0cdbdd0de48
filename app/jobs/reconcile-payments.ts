// `npm run payments:reconcile`: settles pending payments whose IPN never arrived, once, and prints what it did.
import { env, querydrUrl } from "../server/platform/env.server";
import { httpQuerydr, reconcilePayments } from "../server/payments/payments.server";

const summary = await reconcilePayments({ query: httpQuerydr(querydrUrl(env())) });
console.log(JSON.stringify(summary));
