import { PRESSURE_LEVELS } from '../../../../src/domain/pressure-scale';
import { pressureExceedance } from '../../../../src/domain/screening-exceedances';
import type { LiveRegionSummary, RegionLimit } from '../lib/api-types';
import { limitWords, screeningLimitsFrom } from '../lib/region-limits';

const pressure = (level: number | null) =>
  level === null ? '—' : `${level} · ${PRESSURE_LEVELS[level - 1]?.label ?? ''}`;

/**
 * The client's live feedback per region: the highest pressure they accepted (their last word at that level was
 * "good" or "more"), the highest applied (marked where it went past the screening's limit, given `limits`), their
 * less/good/more and the peak discomfort; then the therapist's reasons for going past the limit, per region.
 */
export function LiveSummaryTable({
  summary,
  caption,
  limits = [],
}: {
  summary: readonly LiveRegionSummary[];
  caption: string;
  limits?: readonly RegionLimit[];
}) {
  if (summary.length === 0) return <p className="muted">No live feedback was given.</p>;
  const checked = screeningLimitsFrom(limits);
  const explained = summary.filter((row) => row.reasons.length > 0);
  const past = (row: LiveRegionSummary) => {
    if (row.region === null || row.highestPressureApplied === null) return null;
    const limit = limits.find((l) => l.region === row.region);
    return limit && pressureExceedance(row.region, row.highestPressureApplied, checked) ? limit : null;
  };
  return (
    <>
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
            {summary.map((row) => {
              const limit = past(row);
              return (
                <tr key={row.region ?? 'none'}>
                  <th scope="row">{row.label}</th>
                  <td data-label="Accepted">{pressure(row.highestAcceptedPressure)}</td>
                  <td data-label="Applied">
                    {pressure(row.highestPressureApplied)}
                    {limit && <span className="badge badge-past-cap">screening: {limitWords(limit)}</span>}
                  </td>
                  <td data-label="Less">{row.less}</td>
                  <td data-label="Good">{row.good}</td>
                  <td data-label="More">{row.more}</td>
                  <td data-label="Discomfort">{row.peakDiscomfort === null ? '—' : `${row.peakDiscomfort}/10`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {explained.length > 0 && (
        <div className="past-cap-reasons">
          <h3 className="h3">Why pressure went past the screening</h3>
          <ul>
            {explained.map((row) => (
              <li key={row.region ?? 'none'}>
                <strong>{row.label}:</strong> {row.reasons.join('; ')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
