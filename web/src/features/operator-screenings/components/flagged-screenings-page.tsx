import { useState } from 'react';
import { type ControlProps, Field } from '../../../shared/components/field';
import { OutcomeBadge } from '../../../shared/components/outcome-badge';
import { EmptyState, ErrorNotice, Loading, PageHeader } from '../../../shared/components/states';
import { StatusBadge } from '../../../shared/components/status-badge';
import { fieldError } from '../../../shared/lib/api-client';
import type { FlaggedScreening } from '../../../shared/lib/api-types';
import { sessionTime, timeInZone } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import { useTherapistChoices } from '../../../shared/lib/therapist-choices';
import { type ScreeningFilters, useFlaggedScreenings } from '../api/flagged-screenings';
import { Pager } from '../../../shared/components/pager';

const OUTCOME_FILTERS = [
  { value: '', label: 'Any flag' },
  { value: 'not_today', label: 'Not today' },
  { value: 'clearance_required', label: 'Clearance required' },
  { value: 'adapt', label: 'Adapted' },
];
const CLEARANCE_FILTERS = [
  { value: '', label: 'Any' },
  { value: 'pending', label: 'Pending' },
  { value: 'verified', label: 'Verified' },
  { value: 'not_required', label: 'Not required' },
];
const STATUS_FILTERS = [
  { value: '', label: 'Upcoming (held, awaiting clearance, confirmed, in session)' },
  { value: 'awaiting_clearance', label: 'Awaiting clearance' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'held', label: 'Held' },
  { value: 'completed', label: 'Completed' },
  { value: 'cancelled', label: 'Cancelled' },
];

function Clearance({ booking, screening }: FlaggedScreening) {
  if (screening.clearance.status === 'not_required') return <span className="muted">Not required</span>;
  return (
    <span>
      {screening.clearance.status === 'verified' ? 'Verified' : <strong>Pending</strong>}
      {screening.documentsToReview > 0 && <span className="muted"> · {screening.documentsToReview} to review</span>}
      {booking.status === 'awaiting_clearance' && booking.clearanceDueAt && (
        <span className="small">
          {' '}
          · released unless verified by {timeInZone(booking.clearanceDueAt, booking.timeZone)}
        </span>
      )}
    </span>
  );
}

/** Operators' view of every upcoming session the screening flagged, most urgent decisions first to hand. */
export function FlaggedScreeningsPage() {
  const [filters, setFilters] = useState<ScreeningFilters>({
    outcome: '',
    clearance: '',
    status: '',
    therapistId: '',
    from: '',
    to: '',
    page: 1,
  });
  const screenings = useFlaggedScreenings(filters);
  const therapists = useTherapistChoices();
  const set = <K extends keyof ScreeningFilters>(key: K, value: ScreeningFilters[K]) =>
    setFilters((f) => ({ ...f, [key]: value, page: key === 'page' ? (value as number) : 1 }));
  const data = screenings.data;
  const select =
    (key: 'outcome' | 'clearance' | 'status', options: { value: string; label: string }[]) => (p: ControlProps) => (
      <select {...p} value={filters[key]} onChange={(e) => set(key, e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );

  return (
    <div className="stack">
      <PageHeader title="Flagged screenings">
        <p>
          Sessions whose health screening asks for changes, a doctor’s clearance, or says not today. Opening this list
          is recorded in each client’s access log.
        </p>
      </PageHeader>
      <form className="card filters" aria-label="Filter flagged screenings" onSubmit={(e) => e.preventDefault()}>
        <Field label="Outcome" error={fieldError(screenings.error, 'outcome')}>
          {select('outcome', OUTCOME_FILTERS)}
        </Field>
        <Field label="Clearance" error={fieldError(screenings.error, 'clearance')}>
          {select('clearance', CLEARANCE_FILTERS)}
        </Field>
        <Field label="Booking status" error={fieldError(screenings.error, 'status')}>
          {select('status', STATUS_FILTERS)}
        </Field>
        <Field label="Therapist" error={fieldError(screenings.error, 'therapistId')}>
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
        <Field label="From (UTC date)" error={fieldError(screenings.error, 'from')}>
          {(p) => <input {...p} type="date" value={filters.from} onChange={(e) => set('from', e.target.value)} />}
        </Field>
        <Field label="To (UTC date)" error={fieldError(screenings.error, 'to')}>
          {(p) => <input {...p} type="date" value={filters.to} onChange={(e) => set('to', e.target.value)} />}
        </Field>
      </form>
      <ErrorNotice
        error={screenings.error}
        shownFields={['outcome', 'clearance', 'status', 'therapistId', 'from', 'to']}
      />
      {screenings.isLoading && <Loading label="Loading flagged screenings…" />}
      {data && (
        <p aria-live="polite" className="muted">
          {data.total} flagged {data.total === 1 ? 'session' : 'sessions'}
        </p>
      )}
      {data && data.total === 0 && <EmptyState title="No flagged sessions match these filters." />}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="data-table">
            <caption className="visually-hidden">Flagged sessions, soonest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Client</th>
                <th scope="col">Therapist</th>
                <th scope="col">Screening</th>
                <th scope="col">Why</th>
                <th scope="col">Clearance</th>
                <th scope="col">Open</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map(({ booking, screening }) => (
                <tr key={booking.id}>
                  <td data-label="When">
                    {sessionTime(booking)} <StatusBadge status={booking.status} />
                  </td>
                  <td data-label="Client">{booking.client.displayName}</td>
                  <td data-label="Therapist">{booking.therapist.displayName}</td>
                  <td data-label="Screening">
                    <OutcomeBadge outcome={screening.outcome} />
                    {screening.medicalUrgency && (
                      <strong className="text-danger">
                        {' '}
                        {screening.medicalUrgency === 'emergency' ? 'Emergency' : 'See a doctor today'}
                      </strong>
                    )}
                  </td>
                  <td data-label="Why">
                    {[
                      ...new Set(screening.flags.map((f) => `${f.condition}${f.overridden ? ' (overridden)' : ''}`)),
                    ].join('; ')}
                  </td>
                  <td data-label="Clearance">
                    <Clearance booking={booking} screening={screening} />
                  </td>
                  <td data-label="Open">
                    <Link to={`/bookings/${booking.id}`} aria-label={`Booking of ${booking.client.displayName}`}>
                      Booking
                    </Link>
                    {' · '}
                    <Link to={`/briefs/${booking.id}`} aria-label={`Brief of ${booking.client.displayName}`}>
                      Brief
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {data && (
        <Pager
          label="Pages of flagged sessions"
          page={filters.page}
          total={data.total}
          pageSize={data.pageSize}
          onPage={(page) => set('page', page)}
        />
      )}
    </div>
  );
}
