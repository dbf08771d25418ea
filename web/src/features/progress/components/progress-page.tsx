import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { ProgressSeries } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';
import { useProgress, useTreatmentPlans } from '../api/progress';
import { ProgressChart } from './progress-chart';
import { PlanEditor, PlanView } from './treatment-plans';

const GROUPS: { title: string; measures: ProgressSeries['measure'][]; explain: string }[] = [
  {
    title: 'Pain',
    measures: ['nprs'],
    explain:
      'Pain per region before each session, 0 (none) to 10 (worst imaginable). A change of 2 points or 30% is meaningful.',
  },
  {
    title: 'Disability',
    measures: ['odi', 'ndi'],
    explain: 'How back or neck pain limits daily life, from the Oswestry and Neck Disability questionnaires.',
  },
  {
    title: 'Activities',
    measures: ['psfs', 'psfs_activity'],
    explain: 'How well the chosen activities go, 0 (cannot) to 10 (as before the problem).',
  },
  {
    title: 'Flexibility',
    measures: ['ake', 'slr', 'sit_and_reach'],
    explain:
      'Hamstring and back flexibility tests. No meaningful-change threshold is published for them, so changes are shown without a verdict.',
  },
];

function SeriesGroups({ series }: { series: ProgressSeries[] }) {
  return (
    <>
      {GROUPS.map((group) => {
        const inGroup = series.filter((s) => group.measures.includes(s.measure));
        if (inGroup.length === 0) return null;
        return (
          <section key={group.title} className="stack" aria-labelledby={`group-${group.title}`}>
            <h2 id={`group-${group.title}`}>{group.title}</h2>
            <p className="muted small">{group.explain}</p>
            <div className="card-grid">
              {inGroup.map((s) => (
                <div key={`${s.measure}-${s.key}`} className="card">
                  <ProgressChart series={s} />
                </div>
              ))}
            </div>
          </section>
        );
      })}
    </>
  );
}

/**
 * A client's progress over their sessions, with meaningful changes marked, and their treatment plans. The client
 * sees their own; a therapist sees a client they have booked and keeps their own plan with them here.
 */
export function ProgressPage({ clientId, therapist }: { clientId: string; therapist?: { id: string; zone: string } }) {
  const progress = useProgress(clientId);
  const plans = useTreatmentPlans(clientId);
  const ownPlan = therapist ? plans.data?.find((p) => p.therapist.id === therapist.id) : undefined;
  return (
    <div className="stack">
      <PageHeader title={therapist ? 'Client progress' : 'Your progress'}>
        {!therapist && (
          <p>
            How the work is going, session by session.{' '}
            <Link to="/progress/questionnaires">Answer the questionnaires before your next session</Link>
          </p>
        )}
      </PageHeader>
      {progress.isLoading && <Loading label="Loading progress…" />}
      <ErrorNotice error={progress.error} />
      {progress.data && progress.data.series.length === 0 && (
        <EmptyState title="Nothing measured yet. Measurements appear here after the first session." />
      )}
      {progress.data && <SeriesGroups series={progress.data.series} />}
      <section className="stack" aria-labelledby="plans-heading">
        <h2 id="plans-heading">Treatment plan</h2>
        <ErrorNotice error={plans.error} />
        {plans.data?.map((plan) => (
          <PlanView key={plan.id} plan={plan} bookable={!therapist} />
        ))}
        {plans.data && plans.data.length === 0 && !therapist && <EmptyState title="No treatment plan yet." />}
        {therapist && plans.data && <PlanEditor clientId={clientId} plan={ownPlan} zone={therapist.zone} />}
      </section>
    </div>
  );
}
