// Starts a throwaway cluster, prints where it is, and waits to be killed (postgres-cluster.test.ts).
import { startPostgresCluster } from "./postgres-cluster";

const cluster = await startPostgresCluster();
console.log(JSON.stringify({ dir: cluster.dir, url: cluster.url("postgres") }));
setInterval(() => undefined, 60_000);
