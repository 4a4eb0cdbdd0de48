// `npx tsx tests/bench/profile-summary.ts <file.cpuprofile|folder> [--top 25]`: where a server's CPU
// went, from the V8 CPU profiles `node --cpu-prof` writes (bench:load with BENCH_CPU_PROF_DIR, or
// bench:stats with --profile): self time per function and per package or source folder, as a share
// of the busy (non-idle) time. For docs/performance.md's profile summaries (issue 14).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import * as z from "zod";

const ProfileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: "string", default: "25" } } });
const top = z.coerce.number().int().positive().parse(values.top);
const target = positionals[0];
if (!target) throw new Error("usage: profile-summary.ts <file.cpuprofile|folder> [--top 25]");

const files = statSync(target).isDirectory()
  ? readdirSync(target, { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".cpuprofile"))
      .map((f) => path.join(target, f))
  : [target];
if (files.length === 0) throw new Error(`no .cpuprofile in ${target}`);

/** Where a frame's code lives: an npm package, a folder of the portal's own code, Node itself, or V8's bookkeeping. */
function origin(url: string, name: string): string {
  if (url === "") return name.startsWith("(") ? name : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith("node:")) return url;
  const own = /\/(app|build|server\.js|db)(\/[^/]+)?/.exec(url);
  return own ? `portal ${own[1]}${own[2] ?? ""}` : url;
}

const byFunction = new Map<string, number>();
const byOrigin = new Map<string, number>();
let busy = 0;
let idle = 0;
for (const file of files) {
  const profile = ProfileSchema.parse(JSON.parse(readFileSync(file, "utf8")));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  profile.samples.forEach((id, i) => {
    const frame = nodes.get(id);
    const dt = profile.timeDeltas[i] ?? 0;
    if (!frame) return;
    if (frame.functionName === "(idle)" || frame.functionName === "(program)") {
      idle += dt;
      return;
    }
    busy += dt;
    const where = origin(frame.url, frame.functionName);
    const key = `${frame.functionName || "(anonymous)"} — ${where}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + dt);
    byOrigin.set(where, (byOrigin.get(where) ?? 0) + dt);
  });
}

const share = (us: number) => `${((100 * us) / busy).toFixed(1)} %`;
const rows = (map: Map<string, number>) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([k, us]) => `| ${share(us)} | ${(us / 1000).toFixed(0)} | ${k.replace(/\|/g, "\\|")} |`);
console.log(`${files.length} profile(s): busy ${(busy / 1e6).toFixed(1)} s, idle or (program) ${(idle / 1e6).toFixed(1)} s\n`);
console.log("| self, share of busy | ms | by package or folder |\n| ---: | ---: | --- |");
console.log(rows(byOrigin).join("\n"));
console.log("\n| self, share of busy | ms | function — where |\n| ---: | ---: | --- |");
console.log(rows(byFunction).join("\n"));
