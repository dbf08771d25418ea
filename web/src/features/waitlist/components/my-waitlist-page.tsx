import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { ApiError } from '../../../shared/lib/api-client';
import type { WaitlistEntry } from '../../../shared/lib/api-types';
import { formatIsoDate, timeInZone } from '../../../shared/lib/format';
import { Link, navigate } from '../../../shared/lib/router';
import { useClaimWaitlist, useLeaveWaitlist, useWaitlist } from '../api/waitlist';

const STATUS: Record<WaitlistEntry['status'], string> = {
  waiting: 'Waiting',
  offered: 'Times opened',
  claimed: 'Claimed',
  expired: 'Window passed',
  cancelled: 'Left',
};

/** Why a claim failed, in words: taken by someone quicker, or the server's own reason. */
function claimProblem(error: unknown): string | null {
  if (!error) return null;
  if (error instanceof ApiError && error.problem.code === 'slot_unavailable')
    return 'Another client claimed that time first. You stay on the waitlist.';
  return error instanceof ApiError ? (error.problem.detail ?? error.problem.title) : 'The time could not be claimed.';
}

function EntryCard({ entry }: { entry: WaitlistEntry }) {
  const claim = useClaimWaitlist();
  const leave = useLeaveWaitlist();
  const open = entry.status === 'waiting' || entry.status === 'offered';
  const headingId = `waitlist-${entry.id}`;
  const dates =
    entry.from === entry.to ? formatIsoDate(entry.from) : `${formatIsoDate(entry.from)} to ${formatIsoDate(entry.to)}`;
  const offer = entry.offer;
  const problem = claimProblem(claim.error);
  return (
    <article className="card stack waitlist-entry" aria-labelledby={headingId}>
      <header className="waitlist-entry-head">
        <h2 id={headingId}>
          {entry.durationMin} minutes with {entry.therapistName ?? 'any matching therapist'}
        </h2>
        <span className={`badge badge-waitlist-${entry.status}`}>{STATUS[entry.status]}</span>
      </header>
      <p className="muted">
        {dates}, starting from {entry.fromTime}, finished by {entry.toTime} ·{' '}
        {entry.mode === 'home' ? 'at home' : 'at a studio'}
      </p>
      {offer && (
        <div className="stack">
          <p>
            Free now with <strong>{offer.therapistName}</strong>
            {offer.place.mode === 'studio' ? ` at ${offer.place.name}` : ' at your home'}. The first to claim a time
            gets it:
          </p>
          <ul className="slot-buttons" role="list">
            {offer.starts.map((start) => (
              <li key={start}>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={claim.isPending}
                  onClick={() =>
                    claim.mutate(
                      {
                        id: entry.id,
                        therapistId: offer.therapistId,
                        start,
                        ...(offer.place.mode === 'studio' ? { studioId: offer.place.studioId } : {}),
                      },
                      { onSuccess: (result) => navigate(`/bookings/${result.booking.id}`) },
                    )
                  }
                >
                  Claim {timeInZone(start, offer.timeZone)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {problem && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      {entry.status === 'claimed' && entry.bookingId && (
        <p>
          <Link to={`/bookings/${entry.bookingId}`}>Open the held booking</Link>
        </p>
      )}
      {open && (
        <div className="actions">
          <button
            type="button"
            className="btn btn-quiet"
            disabled={leave.isPending}
            onClick={() => leave.mutate(entry.id)}
          >
            Leave the waitlist
          </button>
        </div>
      )}
      <ErrorNotice error={leave.error} />
    </article>
  );
}

/** The client's waitlist: what they wait for, times offered to them (with a claim button), and what became of each. */
export function MyWaitlistPage() {
  const waitlist = useWaitlist();
  return (
    <div className="narrow stack">
      <PageHeader title="My waitlist">
        <p>
          When a time you wait for frees, you are told by e-mail and here, in the order you joined. The first client to
          claim it gets it, held for you to confirm.
        </p>
      </PageHeader>
      {waitlist.isLoading && <Loading />}
      <ErrorNotice error={waitlist.error} />
      {waitlist.data && waitlist.data.items.length === 0 && (
        <EmptyState title="You are not waiting for any time.">
          <p>
            When a search finds no time that suits, join the waitlist under its results.{' '}
            <Link to="/search">Search</Link>
          </p>
        </EmptyState>
      )}
      <ul className="stack" role="list">
        {waitlist.data?.items.map((entry) => (
          <li key={entry.id}>
            <EntryCard entry={entry} />
          </li>
        ))}
      </ul>
    </div>
  );
}
