import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { CheckIn } from '../../../shared/lib/api-types';
import { formatWhen, timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useMyAftercare, useMyCheckIns } from '../api/aftercare';

const CHECK_IN_STATE: Record<CheckIn['status'], string> = {
  scheduled: 'Not open yet',
  open: 'Waiting for your answer',
  answered: 'Answered',
  expired: 'Closed',
};

/** The client's aftercare and check-ins: an open check-in first, then what they received. */
export function MyAftercarePage() {
  const aftercare = useMyAftercare();
  const checkIns = useMyCheckIns();
  const open = checkIns.data?.items.filter((c) => c.status === 'open') ?? [];
  const past = checkIns.data?.items.filter((c) => c.status !== 'open') ?? [];
  return (
    <div className="narrow stack">
      <PageHeader title="Aftercare">
        <p>What your therapist asked you to do after a session, and our check-ins on how you feel.</p>
      </PageHeader>
      {(aftercare.isLoading || checkIns.isLoading) && <Loading />}
      <ErrorNotice error={aftercare.error ?? checkIns.error} />
      {open.map((c) => (
        <section key={c.id} className="card notice-warning stack" aria-labelledby={`open-${c.id}`}>
          <h2 id={`open-${c.id}`}>How are you feeling?</h2>
          <p>
            {c.therapist.displayName} would like to know how you are, {c.hoursAfter} hours after your session. It takes
            a minute.
          </p>
          <p>
            <Link className="btn btn-primary" to={`/check-ins/${c.id}`}>
              Answer the check-in
            </Link>
          </p>
        </section>
      ))}
      <section className="stack" aria-labelledby="received-heading">
        <h2 id="received-heading">Aftercare you received</h2>
        {aftercare.data && aftercare.data.items.length === 0 && <EmptyState title="No aftercare yet." />}
        <ul className="stack" role="list">
          {aftercare.data?.items.map((a) => (
            <li key={a.bookingId} className="card">
              <Link to={`/bookings/${a.bookingId}/aftercare`}>
                Session on {timeInZone(a.sessionStartsAt, a.sessionTimeZone, 'day')} with {a.therapistName}
              </Link>
              <span className="muted small"> · sent {formatWhen(a.sentAt)}</span>
            </li>
          ))}
        </ul>
      </section>
      {past.length > 0 && (
        <section className="stack" aria-labelledby="past-checkins-heading">
          <h2 id="past-checkins-heading">Earlier check-ins</h2>
          <ul className="stack" role="list">
            {past.map((c) => (
              <li key={c.id} className="card">
                <Link to={`/check-ins/${c.id}`}>{c.hoursAfter} hours after the session</Link>
                <span className="muted small"> · {CHECK_IN_STATE[c.status]}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
