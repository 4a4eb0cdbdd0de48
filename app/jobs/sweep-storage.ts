// `npm run storage:sweep`: removes stored files that no row refers to, once, and prints what it did.
import { sweepStorage } from "../server/platform/storage-sweep.server";

console.log(JSON.stringify(await sweepStorage()));
