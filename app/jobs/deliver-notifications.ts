// `npm run notifications:deliver`: sends the notifications that are due, once, and prints what it did.
import { deliverPendingNotifications } from "../server/notifications/notifications.server";

const summary = await deliverPendingNotifications({ limit: 500 });
console.log(JSON.stringify(summary));
