import { readdirSync } from "node:fs";
import { brotliCompressSync } from "node:zlib";
import { stringsOf } from "../../app/server/platform/i18n.server";
import { groupsUsedBy } from "../fixtures/strings-usage";
const all = stringsOf("vi", "citizen", { simulators: false });
const groups = Object.keys(all);
const root = groupsUsedBy("app/root.tsx", groups);
console.log("root:", [...root].join(" "), brotliCompressSync(JSON.stringify(Object.fromEntries([...root].map((g) => [g, all[g]])))).length);
for (const f of readdirSync("app/routes").filter((f) => /\.tsx$/.test(f) && !/^(officer|admin)/.test(f))) {
  const u = [...groupsUsedBy(`app/routes/${f}`, groups)].filter((g) => !root.has(g));
  const set = [...root, ...u];
  console.log(f.padEnd(48), brotliCompressSync(JSON.stringify(Object.fromEntries(set.map((g) => [g, all[g]])))).length, u.join(" "));
}
