import { describe, expect, it } from "vitest";
import { barGeometry, countScale, labelIndices, lineGeometry, type Box } from "./chart-geometry";

const BOX: Box = { width: 500, height: 200, top: 10, right: 20, bottom: 30, left: 40 };

describe("countScale", () => {
  it("maps 0 to the start and a nice maximum to the end, with whole-number ticks", () => {
    const s = countScale(87, [0, 100]);
    expect(s.max).toBe(100);
    expect(s.scale(0)).toBe(0);
    expect(s.scale(50)).toBe(50);
    expect(s.ticks.map((t) => t.value)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it("never shows half a dossier on the axis", () => {
    expect(countScale(3, [0, 60]).ticks.map((t) => t.value)).toEqual([0, 1, 2, 3]);
  });

  it("keeps an axis of 0–1 when everything is zero (no division by zero, no NaN)", () => {
    const s = countScale(0, [190, 10]);
    expect(s.max).toBe(1);
    expect(s.ticks).toEqual([
      { value: 0, position: 190 },
      { value: 1, position: 10 },
    ]);
  });
});

describe("labelIndices", () => {
  it("spreads at most `max` labels evenly, starting with the first", () => {
    expect(labelIndices(5, 8)).toEqual([0, 1, 2, 3, 4]);
    expect(labelIndices(30, 8)).toEqual([0, 4, 8, 12, 16, 20, 24, 28]);
    expect(labelIndices(0, 8)).toEqual([]);
  });
});

describe("lineGeometry", () => {
  it("draws one path per series through every bucket, higher values higher up", () => {
    const g = lineGeometry({
      series: [
        [0, 5, 10],
        [2, 2, 2],
      ],
      categories: 3,
      box: BOX,
    });
    expect(g.x).toEqual([40, 260, 480]);
    expect(g.points[0]).toEqual([
      { x: 40, y: 170 },
      { x: 260, y: 90 },
      { x: 480, y: 10 },
    ]);
    expect(g.paths[0]).toBe("M40,170L260,90L480,10");
    expect(g.paths[1]?.startsWith("M40,")).toBe(true);
    expect(g.paths[1]?.match(/L/g)).toHaveLength(2);
    expect(g.yTicks.at(-1)).toEqual({ value: 10, position: 10 });
  });

  it("puts a single bucket in the middle and keeps all-zero series on the baseline", () => {
    const g = lineGeometry({ series: [[0]], categories: 1, box: BOX });
    expect(g.x).toEqual([260]);
    expect(g.points[0]).toEqual([{ x: 260, y: 170 }]);
    expect(g.paths[0]).toBe("M260,170Z");
  });

  it("labels at most maxLabels buckets", () => {
    const g = lineGeometry({ series: [Array.from({ length: 31 }, (_, i) => i)], categories: 31, box: BOX, maxLabels: 6 });
    expect(g.xLabels).toEqual([0, 6, 12, 18, 24, 30]);
  });
});

describe("barGeometry", () => {
  it("gives each value a bar whose length is proportional, from the same zero", () => {
    const g = barGeometry({ values: [100, 50, 0], box: BOX, padding: 0 });
    expect(g.bars.map((b) => b.width)).toEqual([440, 220, 0]);
    expect(g.bars.every((b) => b.x === 40)).toBe(true);
    expect(g.bars.map((b) => b.y)).toEqual([10, 63.3, 116.7]);
    expect(g.xTicks[0]).toEqual({ value: 0, position: 40 });
  });

  it("draws nothing but an axis when every value is zero", () => {
    const g = barGeometry({ values: [0, 0], box: BOX });
    expect(g.bars.map((b) => b.width)).toEqual([0, 0]);
    expect(g.xTicks.map((t) => t.value)).toEqual([0, 1]);
  });
});
