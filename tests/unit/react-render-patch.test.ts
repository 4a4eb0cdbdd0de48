// React 18.3's streaming renderer (renderToPipeableStream) encodes text into 2,048-byte views; when a
// multi-byte character does not fit the room left in a view it sent the whole view, unused tail
// included, so zero bytes stood before the character in the HTML (issue 11, problem 8). The patch in
// scripts/patches sends only the written part. These tests fail without it, in both of React's builds.
import { createRequire } from "node:module";
import path from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";

const require = createRequire(import.meta.url);
type Server = typeof import("react-dom/server");

function render(server: Server, items: string[]): Promise<Buffer> {
  const React: typeof import("react") = require("react");
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(Buffer.from(chunk));
        done();
      },
      final(done) {
        resolve(Buffer.concat(chunks));
        done();
      },
    });
    const { pipe } = server.renderToPipeableStream(
      React.createElement(
        "ul",
        null,
        items.map((item, i) => React.createElement("li", { key: i }, item)),
      ),
      {
        onAllReady: () => pipe(sink),
        onShellError: reject,
      },
    );
  });
}

// Short texts, as a page has them (a long one is encoded on its own); with every padding, some
// three-byte letter lands against a view's end.
const lists = [0, 1, 2].map((pad) => Array.from({ length: 120 }, (_, i) => `${"a".repeat(pad)}Bộ Lao động ${i} — Không đạt`));

describe.each([
  ["production", "cjs/react-dom-server.node.production.min.js"],
  ["development", "cjs/react-dom-server.node.development.js"],
])("React's streaming render (%s build)", (_name, file) => {
  // By path: react-dom's "exports" names only the entry that picks a build by NODE_ENV.
  const server: Server = require(path.join(path.dirname(require.resolve("react-dom/package.json")), file));

  it("sends no zero byte when a Vietnamese letter crosses a 2 KB view", async () => {
    for (const items of lists) {
      const html = await render(server, items);
      expect(html.indexOf(0)).toBe(-1);
      expect(html.toString("utf8")).toBe(`<ul>${items.map((item) => `<li>${item}</li>`).join("")}</ul>`);
    }
  });
});
