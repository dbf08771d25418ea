import { useId, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { ImprovementShare } from '../../../shared/lib/api-types';
import { useImprovementShare } from '../api/progress';

const MEASURES = {
  nprs: 'Pain (the region that hurt most)',
  odi: 'Oswestry Disability Index',
  ndi: 'Neck Disability Index',
  psfs: 'Activities (PSFS average)',
} as const;
type ShareMeasure = keyof typeof MEASURES;

const BAR_H = 28;
const LABEL_W = 170;
const W = 560;

/** Horizontal bars, one per therapist: the share of eligible clients meaningfully improved; the numbers are in the table below. */
function ShareBars({ share }: { share: ImprovementShare }) {
  const id = useId();
  const rows = share.therapists;
  const height = rows.length * (BAR_H + 10) + 10;
  const scale = (W - LABEL_W - 60) / 100;
  return (
    <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-labelledby={`${id}-t`} className="chart-svg">
      <title id={`${id}-t`}>
        Share of clients meaningfully improved after {share.sessions} sessions:{' '}
        {rows
          .map(
            (r) =>
              `${r.therapist.displayName} ${r.share === null ? 'no eligible clients' : `${Math.round(r.share * 100)}%`}`,
          )
          .join('; ')}
      </title>
      {rows.map((r, i) => {
        const y = 10 + i * (BAR_H + 10);
        const percent = r.share === null ? 0 : Math.round(r.share * 100);
        return (
          <g key={r.therapist.id}>
            <text x={LABEL_W - 8} y={y + BAR_H / 2 + 5} textAnchor="end" className="chart-label">
              {r.therapist.displayName}
            </text>
            <rect x={LABEL_W} y={y} width={100 * scale} height={BAR_H} className="chart-track" />
            <rect x={LABEL_W} y={y} width={percent * scale} height={BAR_H} className="chart-bar" />
            <text x={LABEL_W + 100 * scale + 8} y={y + BAR_H / 2 + 5} className="chart-label">
              {r.share === null ? '–' : `${percent}%`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** For therapists (their own) and operators (everyone): outcomes, not anecdotes. */
export function OutcomesPage() {
  const [measure, setMeasure] = useState<ShareMeasure>('nprs');
  const [sessions, setSessions] = useState(3);
  const share = useImprovementShare(measure, sessions);
  return (
    <div className="medium stack">
      <PageHeader title="Outcomes">
        <p>
          The share of clients with a meaningful improvement after the same number of sessions, each compared with their
          own first measurement.
        </p>
      </PageHeader>
      <div className="field-row">
        <Field label="Measure">
          {(control) => (
            <select {...control} value={measure} onChange={(e) => setMeasure(e.target.value as ShareMeasure)}>
              {Object.entries(MEASURES).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="After how many sessions">
          {(control) => (
            <input
              {...control}
              type="number"
              min={1}
              max={20}
              value={sessions}
              onChange={(e) => setSessions(Math.min(20, Math.max(1, Number(e.target.value) || 1)))}
            />
          )}
        </Field>
      </div>
      {share.isLoading && <Loading />}
      <ErrorNotice error={share.error} />
      {share.data && share.data.therapists.length === 0 && <EmptyState title="No measurements of this kind yet." />}
      {share.data && share.data.therapists.length > 0 && (
        <div className="card stack">
          <p className="muted small">Meaningful: {share.data.meaningfulChange}.</p>
          <ShareBars share={share.data} />
          <div className="table-wrap">
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">Therapist</th>
                  <th scope="col">Improved</th>
                  <th scope="col">Measured after {share.data.sessions} sessions</th>
                  <th scope="col">Not there yet</th>
                </tr>
              </thead>
              <tbody>
                {share.data.therapists.map((r) => (
                  <tr key={r.therapist.id}>
                    <th scope="row" data-label="Therapist">
                      {r.therapist.displayName}
                    </th>
                    <td data-label="Improved">
                      {r.share === null ? '–' : `${r.improved} (${Math.round(r.share * 100)}%)`}
                    </td>
                    <td data-label="Measured">{r.eligible}</td>
                    <td data-label="Not yet">{r.tooFewSessions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </div>
  );
}
