// Searches are counted and ranked by two worker threads, each on half the catalog's ids (decision
// 024): the merged page must be the page one query on this thread gives, in the same order, ties
// included, on every page; and a worker that stops mid-search must leave the search to this thread.
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ftsQuery } from "../../app/server/catalog/catalog.server";
import { mergeRanked, searchHere, searchPage, stopRankWorkers } from "../../app/server/catalog/search-rank.server";
import { db } from "../../app/server/platform/db.server";

describe("ranking a search on two workers", () => {
  it("gives every page of the one-thread ranking, in the same order", async () => {
    let compared = 0;
    let tiesAcrossHalves = 0;
    const middle = z
      .object({ low: z.number(), high: z.number() })
      .transform((r) => Math.floor((r.low + r.high) / 2))
      .parse(db().$client.prepare("select (select min(id) from procedures) as low, (select max(id) from procedures) as high").get());
    for (const q of ["dang ky", "giay", "cap", "ho tich", "khai sinh", "ho", "chung", "d", "t"]) {
      const expression = ftsQuery(q);
      if (!expression) throw new Error(`no query for ${q}`);
      const { matches } = searchHere(expression, 20, 0);
      for (let offset = 0; offset < matches + 20; offset += 20) {
        const here = searchHere(expression, 20, offset);
        expect(await searchPage(expression, 20, offset, true), `${q} from ${offset}`).toEqual(here);
        compared += here.ids.length;
      }
      // Equal scores on both sides of the cut: the order between them must still be by id.
      const scores = z
        .array(z.tuple([z.number(), z.number()]))
        .parse(
          db().$client.prepare("select rowid, bm25(procedures_fts, 1.0, 1.0, 1.0, 0.0) from procedures_fts where procedures_fts match ?").raw().all(expression),
        );
      const low = new Set(scores.filter(([id]) => id <= middle).map(([, s]) => s));
      tiesAcrossHalves += scores.filter(([id, s]) => id > middle && low.has(s)).length;
    }
    expect(compared).toBeGreaterThan(120); // of the seeded catalog's 51 procedures, pages of broad searches
    expect(tiesAcrossHalves).toBeGreaterThan(0); // the catalog has ties across the cut, so their order was checked
  });

  it("searches deep pages, empty results and an empty catalog's on this thread, with the same answers", async () => {
    const expression = ftsQuery("giay") ?? "";
    const { matches } = searchHere(expression, 20, 0);
    expect(matches).toBeGreaterThan(0);
    expect(await searchPage(expression, 20, 2_000, true)).toEqual({ matches, ids: [] });
    expect(await searchPage(ftsQuery("zzzzqqq") ?? "", 20, 0, true)).toEqual({ matches: 0, ids: [] });
  });

  it("leaves the search to this thread when a worker stops before answering", async () => {
    const expression = ftsQuery("dang ky") ?? "";
    const expected = searchHere(expression, 20, 0);
    expect(expected.ids.length).toBeGreaterThan(1);
    stopRankWorkers();
    // New workers are started by this search and stopped at once, before they can open the file.
    const pending = searchPage(expression, 20, 0, true);
    stopRankWorkers();
    expect(await pending).toEqual(expected);
    // And the next search starts new workers that answer.
    expect(await searchPage(expression, 20, 0, true)).toEqual(expected);
  });
});

describe("merging two ranked halves", () => {
  it("orders by score, then by id, and keeps every row", () => {
    expect(
      mergeRanked(
        [
          [5, -3],
          [1, -1],
          [9, -1],
        ],
        [
          [2, -3],
          [7, -2],
          [4, -1],
        ],
      ),
    ).toEqual([2, 5, 7, 1, 4, 9]);
    expect(mergeRanked([], [[3, 0]])).toEqual([3]);
    expect(mergeRanked([[3, 0]], [])).toEqual([3]);
  });
});
