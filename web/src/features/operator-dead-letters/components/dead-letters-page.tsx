import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import type { DeadLetter } from '../../../shared/lib/api-types';
import { formatWhen } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useDeadLetters, useReplayDeadLetter } from '../api/dead-letters';

/** What each kind of background work is, in words; an unknown kind shows as it is. */
const KINDS: Record<string, string> = {
  'booking_notices.retry': 'Booking notice',
  'booking.reminder': 'Session reminder',
  'live.checkout_overdue': 'Overdue check-out alert',
  'check_in.open': 'Check-in opening',
  'check_in.remind': 'Check-in reminder',
  'check_in.expire': 'Check-in expiry',
};

function DeadLetterCard({ letter }: { letter: DeadLetter }) {
  const replay = useReplayDeadLetter();
  const bookingId = typeof letter.payload.bookingId === 'string' ? letter.payload.bookingId : undefined;
  return (
    <article className="card" aria-labelledby={`dead-letter-${letter.id}`}>
      <div className="row-between">
        <h2 id={`dead-letter-${letter.id}`} className="h3">
          {KINDS[letter.kind] ?? letter.kind}
        </h2>
        <span className="badge">Failed</span>
      </div>
      <dl className="facts">
        <div>
          <dt>Gave up</dt>
          <dd>{formatWhen(letter.failedAt)}</dd>
        </div>
        <div>
          <dt>Attempts</dt>
          <dd>
            {letter.attempts}
            {letter.replays > 0 ? ` (replayed ${letter.replays}×)` : ''}
          </dd>
        </div>
        {bookingId && (
          <div>
            <dt>Booking</dt>
            <dd>
              <Link to={`/bookings/${bookingId}`}>Open the booking</Link>
            </dd>
          </div>
        )}
      </dl>
      {letter.lastError && <p className="muted">Error: {letter.lastError}</p>}
      <ErrorNotice error={replay.error} />
      <div className="actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={replay.isPending}
          onClick={() => replay.mutate(letter.id)}
        >
          Try again
        </button>
      </div>
    </article>
  );
}

export function DeadLettersPage() {
  const letters = useDeadLetters();
  return (
    <div className="stack">
      <PageHeader title="Failed background work">
        <p>
          Work that failed on every attempt: a booking notice, a reminder, a check-in step. Fix the cause, then try it
          again; it runs within a minute.
        </p>
      </PageHeader>
      {letters.isLoading && <Loading />}
      <ErrorNotice error={letters.error} />
      {letters.data && letters.data.length === 0 && <EmptyState title="Nothing has failed." />}
      <div className="card-grid">
        {letters.data?.map((letter) => (
          <DeadLetterCard key={letter.id} letter={letter} />
        ))}
      </div>
    </div>
  );
}
