// Open-loop load (issue 14): operations started at a constant arrival rate, whether or not earlier
// ones have finished, as independent people arrive — and each operation's latency counted from
// the moment it was *meant* to start, so a server that falls behind shows its queue in the
// figures instead of slowing the load down (the "coordinated omission" a closed loop of N
// connections, or autocannon's per-second rate bursts, hide). The scenarios' own request
// sequences and answer checks (scenarios.ts) are reused: an operation is the sequence sent in
// order on one connection (a submission: the apply POST, then the check POST).
import type autocannon from "autocannon";
import { Agent, request, type ClientRequest } from "node:http";

export type OpenLoopResult = {
  /** Operations per second asked for, and how many were due in the run. */
  rate: number;
  due: number;
  /** Operations finished before the drain deadline (any answer), and those that failed on the socket. */
  completed: number;
  errors: number;
  /** Not finished by the drain deadline after the run (the server could not keep up). */
  unfinished: number;
  /** Latency of the completed operations from their intended start, sorted (ms). */
  latencies: number[];
  seconds: number;
};

type Answer = { status: number; headers: Record<string, string | string[]>; body: string };

function send(agent: Agent, base: string, req: autocannon.Request, pending: Set<ClientRequest>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    const body = typeof req.body === "string" || Buffer.isBuffer(req.body) ? req.body : undefined;
    if (body !== undefined) headers["content-length"] = String(Buffer.byteLength(body));
    const outgoing = request(`${base}${req.path ?? "/"}`, { method: req.method ?? "GET", headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = v;
        // A compressed body is bytes, not text: decoding it as UTF-8 (every invalid sequence replaced)
        // cost this client 2.6× the CPU per answer of a plain one and made the client, not the server,
        // the limit at a few thousand answers a second. The checks read statuses, locations and, in
        // a failure's sample, the first bytes.
        const bytes = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: out, body: res.headers["content-encoding"] ? bytes.toString("latin1") : bytes.toString("utf8") });
      });
    });
    pending.add(outgoing);
    outgoing.on("close", () => pending.delete(outgoing));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

/** One operation: its requests in order, each prepared and checked by the scenario's hooks. */
async function operation(agent: Agent, base: string, requests: autocannon.Request[], pending: Set<ClientRequest>): Promise<void> {
  const context: autocannon.Context = {};
  for (const template of requests) {
    const req = template.setupRequest ? template.setupRequest({ ...template }, context) : template;
    const answer = await send(agent, base, req, pending);
    template.onResponse?.(answer.status, answer.body, context, answer.headers);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `rate` operations per second for `seconds` (operation i is due at start + i / rate),
 * then waits up to `drainSeconds` (10) for the ones still running. `requests()` gives a fresh sequence
 * per operation (the scenario's cursors advance). At most `connections` sockets (256), kept alive, as
 * a site's proxy would hold: an operation due while all are busy waits for one, and that wait is
 * part of its latency (unbounded sockets made a slow server refuse thousands of connections, which
 * measured the kernel's backlog instead of the portal).
 */
export async function openLoop(options: {
  base: string;
  requests: () => autocannon.Request[];
  rate: number;
  seconds: number;
  drainSeconds?: number;
  connections?: number;
}): Promise<OpenLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections ?? 256 });
  // Requests still queued or running at the end: aborted then, or an overloaded server's backlog
  // (hundreds of thousands of queued requests, 1.3 GB) stayed in this process and slowed the next
  // scenario measured by it.
  const pending = new Set<ClientRequest>();
  const interval = 1000 / options.rate;
  const due = Math.max(1, Math.floor(options.rate * options.seconds));
  const latencies: number[] = [];
  let errors = 0;
  let running = 0;
  const start = performance.now();
  let next = 0;
  try {
    while (next < due) {
      const now = performance.now();
      // Every operation whose time has come is started now; its clock runs from its due time.
      while (next < due && start + next * interval <= now) {
        const dueAt = start + next * interval;
        next += 1;
        running += 1;
        operation(agent, options.base, options.requests(), pending)
          .then(() => latencies.push(performance.now() - dueAt))
          .catch(() => (errors += 1))
          .finally(() => (running -= 1));
      }
      const wait = start + next * interval - performance.now();
      await sleep(Math.max(0, Math.min(wait, 5)));
    }
    const deadline = performance.now() + (options.drainSeconds ?? 10) * 1000;
    while (running > 0 && performance.now() < deadline) await sleep(5);
    return {
      rate: options.rate,
      due,
      completed: latencies.length,
      errors,
      unfinished: running,
      latencies: latencies.sort((a, b) => a - b),
      seconds: (performance.now() - start) / 1000,
    };
  } finally {
    for (const outgoing of pending) outgoing.destroy();
    agent.destroy();
  }
}
