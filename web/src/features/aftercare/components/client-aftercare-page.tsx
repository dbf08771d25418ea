import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { ApiError } from '../../../shared/lib/api-client';
import { formatWhen } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { TipPanel } from '../../../shared/components/tip-panel';
import { useAftercare } from '../api/aftercare';
import { AftercarePlanView } from './aftercare-plan-view';

/** The aftercare a client received after a session, with the home programme, exactly as it was sent. */
export function ClientAftercarePage({ bookingId }: { bookingId: string }) {
  const aftercare = useAftercare(bookingId);
  if (aftercare.isLoading) return <Loading />;
  if (aftercare.error instanceof ApiError && aftercare.error.problem.status === 404) {
    return (
      <EmptyState title="No aftercare for this session yet.">
        <p>Your therapist sends it after the session.</p>
        <Link to="/aftercare">Back to aftercare</Link>
      </EmptyState>
    );
  }
  if (aftercare.error || !aftercare.data) return <ErrorNotice error={aftercare.error} />;
  const a = aftercare.data;
  return (
    <div className="narrow stack">
      <PageHeader title="Your aftercare">
        <p>
          From {a.sentBy?.displayName ?? 'your therapist'}
          {a.sentAt && `, ${formatWhen(a.sentAt)}`}. Your home programme is under Stretches, Foam rolling and
          Strengthening.
        </p>
      </PageHeader>
      <AftercarePlanView plan={a.plan} />
      {a.guides.length > 0 && (
        <section className="card" aria-labelledby="aftercare-guides">
          <h2 id="aftercare-guides">Read more about what was worked on</h2>
          <ul>
            {a.guides.map((g) => (
              <li key={g.slug}>
                <a href={g.path}>{g.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
      <TipPanel bookingId={bookingId} therapistName={a.sentBy?.displayName ?? 'your therapist'} />
      <p>
        <Link to="/aftercare">All your aftercare and check-ins</Link>
      </p>
    </div>
  );
}
