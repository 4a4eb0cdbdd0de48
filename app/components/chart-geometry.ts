/**
 * Where the marks of the dashboard's charts go: scales and SVG paths computed with d3-scale and
 * d3-shape (no DOM, so the same numbers come out on the server and in the browser; see
 * docs/decisions/008-charts.md). Pure functions of the figures and the drawing box; the figures
 * themselves come from the statistics query layer.
 */
import { scaleBand, scaleLinear, scalePoint } from "d3-scale";
import { line } from "d3-shape";

/** The drawing area in viewBox units, and the margins kept for the axes' labels. */
export type Box = { width: number; height: number; top: number; right: number; bottom: number; left: number };
export type Tick = { value: number; position: number };

/** One decimal is plenty in viewBox units and keeps the markup short. */
const round = (n: number) => Math.round(n * 10) / 10;

/**
 * A count axis from 0 to a "nice" maximum covering `max`, with whole-number ticks only (counts have
 * no halves). An all-zero chart still gets the axis 0–1, never a scale divided by zero.
 */
export function countScale(max: number, range: readonly [number, number], tickCount = 5) {
  const scale = scaleLinear()
    .domain([0, Math.max(max, 1)])
    .nice(tickCount)
    .range([range[0], range[1]]);
  const ticks: Tick[] = scale
    .ticks(tickCount)
    .filter((v) => Number.isInteger(v))
    .map((value) => ({ value, position: round(scale(value)) }));
  return { scale, ticks, max: scale.domain()[1] ?? 1 };
}

/** At most `max` evenly spaced indices out of `count`, always starting with the first. */
export function labelIndices(count: number, max: number): number[] {
  if (count <= 0) return [];
  const step = Math.max(1, Math.ceil(count / Math.max(1, max)));
  const out: number[] = [];
  for (let i = 0; i < count; i += step) out.push(i);
  return out;
}

export type LineGeometry = {
  /** One SVG path per series ("" when there are no points). */
  paths: string[];
  /** Each series' points, for markers. */
  points: { x: number; y: number }[][];
  /** Horizontal position of each category (bucket). */
  x: number[];
  yTicks: Tick[];
  /** The categories whose label fits under the axis. */
  xLabels: number[];
};

/**
 * A line per series over the same categories (the time buckets), on one count axis. A single
 * bucket sits in the middle of the axis (its line is then a lone point: draw markers).
 */
export function lineGeometry(input: { series: readonly (readonly number[])[]; categories: number; box: Box; maxLabels?: number }): LineGeometry {
  const { box, categories } = input;
  const bottom = box.height - box.bottom;
  const x = scalePoint<number>()
    .domain(Array.from({ length: categories }, (_, i) => i))
    .range([box.left, box.width - box.right])
    .padding(categories === 1 ? 0.5 : 0);
  const y = countScale(Math.max(0, ...input.series.flat()), [bottom, box.top]);
  const xs = Array.from({ length: categories }, (_, i) => round(x(i) ?? box.left));
  const points = input.series.map((values) => values.slice(0, categories).map((v, i) => ({ x: xs[i] ?? box.left, y: round(y.scale(v)) })));
  const path = line<{ x: number; y: number }>()
    .x((p) => p.x)
    .y((p) => p.y);
  return {
    paths: points.map((pts) => (pts.length === 0 ? "" : (path(pts) ?? ""))),
    points,
    x: xs,
    yTicks: y.ticks,
    xLabels: labelIndices(categories, input.maxLabels ?? 8),
  };
}

export type BarGeometry = {
  bars: { x: number; y: number; width: number; height: number }[];
  xTicks: Tick[];
};

/** Horizontal bars, one per value, from a shared zero on the left (the funnel's steps). */
export function barGeometry(input: { values: readonly number[]; box: Box; padding?: number; tickCount?: number }): BarGeometry {
  const { box, values } = input;
  const band = scaleBand<number>()
    .domain(values.map((_, i) => i))
    .range([box.top, box.height - box.bottom])
    .padding(input.padding ?? 0.25);
  const x = countScale(Math.max(0, ...values), [box.left, box.width - box.right], input.tickCount ?? 4);
  const bars = values.map((v, i) => ({ x: box.left, y: round(band(i) ?? box.top), width: round(x.scale(v) - box.left), height: round(band.bandwidth()) }));
  return { bars, xTicks: x.ticks };
}
