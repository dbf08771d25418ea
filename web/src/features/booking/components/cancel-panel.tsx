import { useEffect, useRef, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { Booking, CancellationQuote } from '../../../shared/lib/api-types';
import { formatMoney } from '../../../shared/lib/format';
import { useCancel, useCancellationQuote } from '../api/bookings';

export function describeQuote(quote: CancellationQuote, booking: Booking, verb: 'Cancelling' | 'Moving'): string {
  const policy = booking.cancellationPolicy;
  switch (quote.reason) {
    case 'hold_released':
      return `${verb} is free: the time is only held, not yet booked.`;
    case 'grace_period':
      return `${verb} now is free: you booked less than ${policy.graceMinutes} minutes ago.`;
    case 'before_cutoff':
      return `${verb} now is free: the session is more than ${policy.freeUntilHoursBefore} hours away.`;
    case 'cancelled_by_therapist':
      return `${verb} is free for the client.`;
    case 'late_cancellation':
      return `${verb} now costs ${formatMoney(quote.feeCents, quote.currency)}: within ${policy.freeUntilHoursBefore} hours of the session the fee is ${policy.lateFeePercent}% of the price.`;
  }
}

export function QuoteLine({ booking, verb }: { booking: Booking; verb: 'Cancelling' | 'Moving' }) {
  const quote = useCancellationQuote(booking.id, true);
  if (quote.isLoading) return <Loading label="Checking the cancellation terms…" />;
  if (quote.error) return <ErrorNotice error={quote.error} />;
  if (!quote.data) return null;
  return (
    <p className={`notice ${quote.data.feeCents > 0 ? 'notice-warning' : 'notice-info'}`}>
      {describeQuote(quote.data, booking, verb)}
    </p>
  );
}

/** Cancelling, with what it costs said before the button that does it. */
export function CancelPanel({
  booking,
  onClose,
  onCancelled,
}: {
  booking: Booking;
  onClose: () => void;
  onCancelled?: (b: Booking) => void;
}) {
  const cancel = useCancel();
  const [reason, setReason] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="panel" aria-labelledby={`cancel-${booking.id}`}>
      <h3 id={`cancel-${booking.id}`} ref={heading} tabIndex={-1}>
        Cancel this booking?
      </h3>
      <QuoteLine booking={booking} verb="Cancelling" />
      <Field label="Reason (optional)" hint="Your therapist sees this." error={fieldError(cancel.error, 'reason')}>
        {(p) => <textarea {...p} rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
      </Field>
      <ErrorNotice error={cancel.error} shownFields={['reason']} />
      <div className="actions">
        <button
          type="button"
          className="btn btn-danger"
          disabled={cancel.isPending}
          onClick={() => cancel.mutate({ id: booking.id, reason }, { onSuccess: (b) => onCancelled?.(b) })}
        >
          {cancel.isPending ? 'Cancelling…' : 'Cancel booking'}
        </button>
        <button type="button" className="btn" onClick={onClose}>
          Keep it
        </button>
      </div>
    </section>
  );
}
