import { ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { sessionTime } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useCancelPair, usePair } from '../api/pairs';

const STATUS_WORDS: Record<string, string> = {
  held: 'held, to be confirmed',
  awaiting_clearance: 'waiting for a medical clearance',
  confirmed: 'confirmed',
  cancelled: 'cancelled',
  expired: 'the hold ran out',
};

/** A session for two as one of its people sees it: both parts, their own in full (a link to confirm it). */
export function PairPage({ id }: { id: string }) {
  const pair = usePair(id);
  const cancel = useCancelPair(id);
  if (pair.isLoading) return <Loading label="Loading your session for two…" />;
  if (pair.error || !pair.data) return <ErrorNotice error={pair.error} />;
  const p = pair.data;
  const own = p.parts.find((part) => part.booking !== null && part.person === p.you);
  const other = p.parts.find((part) => part.person !== p.you);
  return (
    <div className="narrow">
      <PageHeader title="Your session for two">
        <p>
          {sessionTime({
            startsAt: p.startsAt,
            endsAt: new Date(Date.parse(p.startsAt) + p.durationMin * 60_000).toISOString(),
            timeZone: p.timeZone,
          })}{' '}
          at {p.address}
        </p>
      </PageHeader>
      <ul className="stack" role="list">
        {p.parts.map((part) => (
          <li key={part.person} className="card">
            <h2>{part.person === p.you ? 'You' : part.personName}</h2>
            <p>
              With {part.therapistName}: {STATUS_WORDS[part.status] ?? part.status}
            </p>
          </li>
        ))}
      </ul>
      {own?.booking?.status === 'held' && (
        <p className="actions">
          <Link className="btn btn-primary" to={`/bookings/${own.booking.id}`}>
            Review and confirm your session
          </Link>
        </p>
      )}
      {other && other.status === 'held' && (
        <p className="muted">
          {other.personName} confirms and pays for their own session: we have e-mailed them a link. Both sessions are
          held for two hours.
        </p>
      )}
      {p.parts.some((part) => ['held', 'awaiting_clearance', 'confirmed'].includes(part.status)) && (
        <div className="actions">
          <button
            type="button"
            className="btn btn-danger-outline"
            disabled={cancel.isPending}
            aria-busy={cancel.isPending}
            onClick={() => cancel.mutate()}
          >
            Cancel both sessions
          </button>
        </div>
      )}
      <ErrorNotice error={cancel.error} />
    </div>
  );
}
