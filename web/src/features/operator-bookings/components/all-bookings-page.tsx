import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { StatusBadge } from '../../../shared/components/status-badge';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { formatMoney, sessionTime } from '../../../shared/lib/format';
import { useTherapistChoices } from '../../../shared/lib/therapist-choices';
import { type BookingFilters, useAllBookings } from '../api/operator-bookings';
import { Pager } from '../../../shared/components/pager';

const STATUS_FILTERS = [
  { value: '', label: 'Any status' },
  { value: 'held,confirmed', label: 'Upcoming (held or confirmed)' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'rescheduled', label: 'Moved' },
  { value: 'no_show', label: 'No-show' },
  { value: 'completed', label: 'Completed' },
  { value: 'expired', label: 'Expired holds' },
];

export function AllBookingsPage() {
  const [filters, setFilters] = useState<BookingFilters>({ status: '', therapistId: '', from: '', to: '', page: 1 });
  const bookings = useAllBookings(filters);
  const therapists = useTherapistChoices();
  const set = <K extends keyof BookingFilters>(key: K, value: BookingFilters[K]) =>
    setFilters((f) => ({ ...f, [key]: value, page: key === 'page' ? (value as number) : 1 }));
  const data = bookings.data;

  return (
    <div className="stack">
      <PageHeader title="All bookings" />
      <form className="card filters" aria-label="Filter bookings" onSubmit={(e) => e.preventDefault()}>
        <Field label="Status" error={fieldError(bookings.error, 'status')}>
          {(p) => (
            <select {...p} value={filters.status} onChange={(e) => set('status', e.target.value)}>
              {STATUS_FILTERS.map((s) => (
                <option key={s.value} value={s.value}>
                  {s.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Therapist" error={fieldError(bookings.error, 'therapistId')}>
          {(p) => (
            <select {...p} value={filters.therapistId} onChange={(e) => set('therapistId', e.target.value)}>
              <option value="">All therapists</option>
              {therapists.data?.map((t) => (
                <option key={t.therapistId} value={t.therapistId}>
                  {t.displayName}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="From (UTC date)" error={fieldError(bookings.error, 'from')}>
          {(p) => <input {...p} type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} />}
        </Field>
        <Field label="To (UTC date)" error={fieldError(bookings.error, 'to')}>
          {(p) => <input {...p} type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} />}
        </Field>
      </form>
      <ErrorNotice error={bookings.error} shownFields={['status', 'therapistId', 'from', 'to']} />
      {bookings.isLoading && <Loading label="Loading bookings…" />}
      {data && (
        <p aria-live="polite" className="muted">
          {data.total} {data.total === 1 ? 'booking' : 'bookings'}
        </p>
      )}
      {data && data.total === 0 && <EmptyState title="No bookings match these filters." />}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Bookings, soonest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Therapist</th>
                <th scope="col">Client</th>
                <th scope="col">Where</th>
                <th scope="col">Price</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((b) => (
                <tr key={b.id}>
                  <td data-label="When">
                    {sessionTime(b)} <span className="muted">· {b.durationMin} min</span>
                  </td>
                  <td data-label="Therapist">{b.therapist.displayName}</td>
                  <td data-label="Client">{b.client.displayName}</td>
                  <td data-label="Where">{b.mode === 'studio' ? b.studio?.name : 'Home visit'}</td>
                  <td data-label="Price">
                    {formatMoney(b.priceCents, b.currency)}
                    {b.cancellationFeeCents ? (
                      <span className="muted"> (fee {formatMoney(b.cancellationFeeCents, b.currency)})</span>
                    ) : null}
                  </td>
                  <td data-label="Status">
                    <StatusBadge status={b.status} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <Pager
          label="Booking pages"
          page={filters.page}
          total={data.total}
          pageSize={data.pageSize}
          onPage={(page) => set('page', page)}
        />
      )}
    </div>
  );
}
