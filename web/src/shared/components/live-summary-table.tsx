import { PRESSURE_LEVELS } from '../../../../src/care/pressure-scale';
import type { LiveRegionSummary } from '../lib/api-types';

const pressure = (level: number | null) => (level === null ? '—' : `${level} · ${PRESSURE_LEVELS[level - 1]?.label ?? ''}`);

/**
 * The client's live feedback per region: the highest pressure they accepted (their last word at that level was
 * "good" or "more"), the highest applied, their less/good/more and the peak discomfort.
 */
export function LiveSummaryTable({ summary, caption }: { summary: readonly LiveRegionSummary[]; caption: string }) {
  if (summary.length === 0) return <p className="muted">No live feedback was given.</p>;
  return (
    <div className="table-wrap">
      <table className="data-table live-summary">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Area</th>
            <th scope="col">Highest accepted</th>
            <th scope="col">Highest applied</th>
            <th scope="col">Less</th>
            <th scope="col">Good</th>
            <th scope="col">More</th>
            <th scope="col">Peak discomfort</th>
          </tr>
        </thead>
        <tbody>
          {summary.map((row) => (
            <tr key={row.region ?? 'none'}>
              <th scope="row">{row.label}</th>
              <td data-label="Accepted">{pressure(row.highestAcceptedPressure)}</td>
              <td data-label="Applied">{pressure(row.highestPressureApplied)}</td>
              <td data-label="Less">{row.less}</td>
              <td data-label="Good">{row.good}</td>
              <td data-label="More">{row.more}</td>
              <td data-label="Discomfort">{row.peakDiscomfort === null ? '—' : `${row.peakDiscomfort}/10`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
