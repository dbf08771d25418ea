import type { ScreeningOutcome } from '../lib/api-types';

const OUTCOME_LABELS: Record<ScreeningOutcome, string> = {
  proceed: 'Suitable',
  adapt: 'Adapted',
  clearance_required: 'Clearance required',
  not_today: 'Not today',
};

export function OutcomeBadge({ outcome }: { outcome: ScreeningOutcome }) {
  return <span className={`badge badge-outcome-${outcome}`}>{OUTCOME_LABELS[outcome]}</span>;
}
