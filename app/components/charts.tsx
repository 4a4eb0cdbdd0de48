import { barGeometry, lineGeometry, type Box } from "./chart-geometry";
import { ScrollRegion } from "./scroll-region";

/**
 * Charts drawn as plain SVG in the server's HTML (they need no JavaScript), each an image whose
 * aria-label summarises it; the page puts the same figures in a table right below. Lines differ
 * by dash pattern and marker shape as well as colour.
 */

export type LineSeries = { key: string; name: string; values: readonly number[] };

const LINE_BOX: Box = { width: 640, height: 260, top: 12, right: 16, bottom: 32, left: 48 };
/** Beyond this many buckets markers would merge into a smear: the line alone reads better. */
const MAX_MARKERS = 62;

/** `name` names the chart (its scroll box on a phone); `label` summarises its figures for screen readers. */
export function LineChart({
  name,
  label,
  categories,
  series,
  format,
}: {
  name: string;
  label: string;
  categories: readonly string[];
  series: readonly LineSeries[];
  format: (n: number) => string;
}) {
  const box = LINE_BOX;
  const g = lineGeometry({ series: series.map((s) => s.values), categories: categories.length, box });
  const baseline = box.height - box.bottom;
  return (
    <div className="chart">
      <ScrollRegion className="chart__scroll" label={name}>
        <svg role="img" aria-label={label} viewBox={`0 0 ${box.width} ${box.height}`} className="chart__svg" focusable="false">
          <g className="chart__grid">
            {g.yTicks.map((t) => (
              <g key={t.value}>
                <line x1={box.left} x2={box.width - box.right} y1={t.position} y2={t.position} />
                <text x={box.left - 6} y={t.position} dy="0.32em" textAnchor="end">
                  {format(t.value)}
                </text>
              </g>
            ))}
          </g>
          <line className="chart__axis" x1={box.left} x2={box.width - box.right} y1={baseline} y2={baseline} />
          {g.xLabels.map((i) => (
            <text key={i} className="chart__label" x={g.x[i]} y={baseline + 18} textAnchor={categories.length === 1 ? "middle" : i === 0 ? "start" : "middle"}>
              {categories[i]}
            </text>
          ))}
          {series.map((s, si) => (
            <g key={s.key} className={`chart__series chart__series--${si + 1}`}>
              <path d={g.paths[si]} />
              {categories.length <= MAX_MARKERS ? g.points[si]?.map((p, i) => <Marker key={i} kind={si} x={p.x} y={p.y} />) : null}
            </g>
          ))}
        </svg>
      </ScrollRegion>
      <ul className="chart__legend">
        {series.map((s, si) => (
          <li key={s.key} className={`chart__series chart__series--${si + 1}`}>
            <svg viewBox="0 0 32 12" width="32" height="12" aria-hidden="true" focusable="false">
              <path d="M0,6L32,6" />
              <Marker kind={si} x={16} y={6} />
            </svg>
            {s.name}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A circle, a square, a triangle…: the series can be told apart without colour. */
function Marker({ kind, x, y }: { kind: number; x: number; y: number }) {
  const r = 3.5;
  switch (kind % 3) {
    case 0:
      return <circle cx={x} cy={y} r={r} />;
    case 1:
      return <rect x={x - r} y={y - r} width={2 * r} height={2 * r} />;
    default:
      return <path d={`M${x},${y - r - 1}L${x + r + 1},${y + r}L${x - r - 1},${y + r}Z`} />;
  }
}

export type Bar = { key: string; name: string; value: number; note?: string };

const BAR_BOX: Box = { width: 640, height: 0, top: 8, right: 120, bottom: 28, left: 180 };
const BAR_ROW = 40;

/** Horizontal bars from a shared zero, each labelled with its name, its count and an optional note (a share). */
export function BarChart({ name, label, bars, format }: { name: string; label: string; bars: readonly Bar[]; format: (n: number) => string }) {
  const box = { ...BAR_BOX, height: BAR_BOX.top + BAR_BOX.bottom + BAR_ROW * bars.length };
  const g = barGeometry({ values: bars.map((b) => b.value), box });
  const baseline = box.height - box.bottom;
  return (
    <div className="chart">
      <ScrollRegion className="chart__scroll" label={name}>
        <svg role="img" aria-label={label} viewBox={`0 0 ${box.width} ${box.height}`} className="chart__svg" focusable="false">
          <g className="chart__grid">
            {g.xTicks.map((t) => (
              <g key={t.value}>
                <line x1={t.position} x2={t.position} y1={box.top} y2={baseline} />
                <text x={t.position} y={baseline + 18} textAnchor="middle">
                  {format(t.value)}
                </text>
              </g>
            ))}
          </g>
          {bars.map((b, i) => {
            const bar = g.bars[i];
            if (!bar) return null;
            const middle = bar.y + bar.height / 2;
            return (
              <g key={b.key}>
                <text className="chart__label" x={box.left - 8} y={middle} dy="0.32em" textAnchor="end">
                  {b.name}
                </text>
                <rect className="chart__bar" x={bar.x} y={bar.y} width={bar.width} height={bar.height} />
                <text className="chart__value" x={bar.x + bar.width + 6} y={middle} dy="0.32em">
                  {format(b.value)}
                  {b.note ? ` (${b.note})` : ""}
                </text>
              </g>
            );
          })}
          <line className="chart__axis" x1={box.left} x2={box.left} y1={box.top} y2={baseline} />
        </svg>
      </ScrollRegion>
    </div>
  );
}
