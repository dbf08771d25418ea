import type { BookingStatus } from '../lib/api-types';

const LABELS: Record<BookingStatus, string> = {
  held: 'Held',
  awaiting_clearance: 'Awaiting clearance',
  confirmed: 'Confirmed',
  checked_in: 'In session',
  completed: 'Completed',
  no_show: 'No-show',
  cancelled: 'Cancelled',
  expired: 'Hold expired',
  rescheduled: 'Moved',
};

export function StatusBadge({ status }: { status: BookingStatus }) {
  return <span className={`badge badge-${status}`}>{LABELS[status]}</span>;
}
