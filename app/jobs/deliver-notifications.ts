// `npm run notifications:deliver`: sends the notifications that are due, once, and prints what it did.
import { bootstrap } from "../server/platform/bootstrap.server";
import { deliverPendingNotifications } from "../server/notifications/notifications.server";

// Run on its own, it prepares the database as the portal's start-up does.
await bootstrap();

const summary = await deliverPendingNotifications({ limit: 500 });
console.log(JSON.stringify(summary));
