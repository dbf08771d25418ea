import { useId } from 'react';
import type { ProgressSeries } from '../../../shared/lib/api-types';
import { formatIsoDate } from '../../../shared/lib/format';

const UNIT: Record<string, string> = { points: '', percent: '%', degrees: '°', cm: ' cm' };
const round = (n: number) => Math.round(n * 10) / 10;
export const withUnit = (value: number, unit: string) => `${round(value)}${UNIT[unit] ?? ''}`;
const signed = (n: number, unit: string) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${withUnit(Math.abs(n), unit)}`;

export const seriesTitle = (s: ProgressSeries) => `${s.name}${s.keyLabel ? `, ${s.keyLabel}` : ''}`;

/** The series in one sentence: where it started, where it is, and what the change means; `named` starts with what it measures. */
export function seriesSummary(s: ProgressSeries, named = true): string {
  const what = named ? `${seriesTitle(s)}: ` : '';
  if (s.measurements === 1)
    return `${what}${withUnit(s.latest.value, s.unit)} on ${formatIsoDate(s.latest.sessionDate)}, the baseline.`;
  const verdict =
    s.meaningful === null
      ? 'no meaningful-change threshold is published for this test'
      : s.meaningfulImprovement
        ? 'a meaningful improvement'
        : s.meaningful
          ? 'a meaningful worsening'
          : `not yet a meaningful change (${s.meaningfulChange})`;
  return `${what}${withUnit(s.baseline.value, s.unit)} on ${formatIsoDate(s.baseline.sessionDate)}, ${withUnit(s.latest.value, s.unit)} on ${formatIsoDate(s.latest.sessionDate)} (${signed(s.change, s.unit)}, ${s.direction}): ${verdict}.`;
}

// A narrow drawing, so its 14-unit labels stay readable when a phone scales it down.
const W = 420;
const H = 220;
const PAD = { left: 34, right: 22, top: 14, bottom: 36 };

/** A range that shows the series well: the whole scale for short scales, the data with some room otherwise. */
function yRange(s: ProgressSeries): [number, number] {
  if (s.max - s.min <= 10) return [s.min, s.max];
  const values = s.points.map((p) => p.value);
  const spread = Math.max(...values) - Math.min(...values);
  const room = Math.max(spread * 0.25, (s.max - s.min) * 0.05);
  return [
    Math.max(s.min, Math.floor(Math.min(...values) - room)),
    Math.min(s.max, Math.ceil(Math.max(...values) + room)),
  ];
}

function ticks(lo: number, hi: number): number[] {
  const step = [1, 2, 5, 10, 20, 25, 50].find((s) => (hi - lo) / s <= 5) ?? 100;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
  return out;
}

/**
 * One series, drawn by hand as SVG: a line over the sessions, the baseline dashed, and each session whose change
 * from the baseline is meaningful marked with a ring. The image has a title and a description for screen
 * readers; the numbers are also in a table.
 */
export function ProgressChart({ series: s }: { series: ProgressSeries }) {
  const id = useId();
  const [lo, hi] = yRange(s);
  const n = s.points.length;
  const x = (i: number) =>
    n === 1 ? (PAD.left + W - PAD.right) / 2 : PAD.left + (i * (W - PAD.left - PAD.right)) / (n - 1);
  const y = (v: number) => PAD.top + ((hi - v) * (H - PAD.top - PAD.bottom)) / (hi - lo || 1);
  const path = s.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const title = seriesTitle(s);
  const summary = seriesSummary(s);
  const better = s.better === 'lower' ? 'Lower is better.' : 'Higher is better.';
  const meaningfulPoints = s.points.filter((p) => p.fromBaseline?.meaningful);
  return (
    <figure className="chart">
      <figcaption>
        <strong>{title}</strong>
        <span className="muted small"> {better}</span>
        <p className="chart-summary">{seriesSummary(s, false)}</p>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart-svg">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>
          {summary} Values by session:{' '}
          {s.points
            .map(
              (p) =>
                `${formatIsoDate(p.sessionDate)} ${withUnit(p.value, s.unit)}${p.fromBaseline?.meaningful ? ' (meaningful change)' : ''}`,
            )
            .join('; ')}
          .
        </desc>
        {ticks(lo, hi).map((t) => (
          <g key={t}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={PAD.left - 8} y={y(t) + 4} textAnchor="end" className="chart-label">
              {t}
            </text>
          </g>
        ))}
        <line
          x1={PAD.left}
          x2={W - PAD.right}
          y1={y(s.baseline.value)}
          y2={y(s.baseline.value)}
          className="chart-baseline"
        />
        <path d={path} className="chart-line" />
        {s.points.map((p, i) => (
          <g key={`${p.sessionDate}-${i}`}>
            {p.fromBaseline?.meaningful && (
              <circle cx={x(i)} cy={y(p.value)} r={10} className={`chart-ring ${p.fromBaseline.direction}`} />
            )}
            <circle cx={x(i)} cy={y(p.value)} r={4.5} className="chart-point" />
            <text
              x={x(i)}
              y={H - PAD.bottom + 20}
              textAnchor={n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle'}
              className="chart-label"
            >
              {formatIsoDate(p.sessionDate, { month: 'short', day: 'numeric' })}
            </text>
          </g>
        ))}
      </svg>
      <p className="chart-legend small muted" aria-hidden="true">
        <span>
          <span className="legend-line" /> value at each session
        </span>
        <span>
          <span className="legend-baseline" /> baseline
        </span>
        {meaningfulPoints.length > 0 && (
          <span>
            <span className="legend-ring" /> meaningful change from the baseline
          </span>
        )}
      </p>
      <details>
        <summary>Show the numbers</summary>
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Session</th>
                <th scope="col">Value</th>
                {s.bands && <th scope="col">Band</th>}
                <th scope="col">Change from the first</th>
                <th scope="col">Meaningful</th>
              </tr>
            </thead>
            <tbody>
              {s.points.map((p, i) => (
                <tr key={`${p.sessionDate}-${i}`}>
                  <th scope="row" data-label="Session">
                    {formatIsoDate(p.sessionDate)}
                  </th>
                  <td data-label="Value">{withUnit(p.value, s.unit)}</td>
                  {s.bands && <td data-label="Band">{p.band?.label}</td>}
                  <td data-label="Change">{p.fromBaseline ? signed(p.fromBaseline.change, s.unit) : 'Baseline'}</td>
                  <td data-label="Meaningful">
                    {p.fromBaseline
                      ? p.fromBaseline.meaningful === null
                        ? 'Not defined'
                        : p.fromBaseline.meaningful
                          ? 'Yes'
                          : 'No'
                      : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
