import { StatusBadge } from '../../../shared/components/status-badge';
import { ErrorNotice } from '../../../shared/components/states';
import type { SessionRecord } from '../../../shared/lib/api-types';
import { sessionTime, timeInZone } from '../../../shared/lib/format';
import { useAttendance } from '../api/session-records';

/** Check-in, check-out and no-show, each offered only when the booking allows it, with the times recorded. */
export function AttendancePanel({ record, zone }: { record: SessionRecord; zone: string }) {
  const attendance = useAttendance(record.booking.id);
  const { attendance: times, booking } = record;
  const allowed = booking.allowedActions;
  return (
    <section className="card" aria-labelledby="attendance-heading">
      <div className="row-between">
        <h2 id="attendance-heading">Attendance</h2>
        <StatusBadge status={booking.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Booked</dt>
          <dd>
            {sessionTime(booking, 'time')}
          </dd>
        </div>
        {times.checkedInAt && (
          <div>
            <dt>Checked in</dt>
            <dd>{timeInZone(times.checkedInAt, zone, 'time')}</dd>
          </div>
        )}
        {times.checkedOutAt && (
          <div>
            <dt>Checked out</dt>
            <dd>{timeInZone(times.checkedOutAt, zone, 'time')}</dd>
          </div>
        )}
        {times.noShowAt && (
          <div>
            <dt>Did not come</dt>
            <dd>Recorded {timeInZone(times.noShowAt, zone, 'time')}</dd>
          </div>
        )}
      </dl>
      <ErrorNotice error={attendance.error} />
      <div className="actions">
        {allowed.includes('check_in') && (
          <button type="button" className="btn btn-primary" disabled={attendance.isPending} onClick={() => attendance.mutate('check-in')}>
            Check in
          </button>
        )}
        {allowed.includes('check_out') && (
          <button type="button" className="btn btn-primary" disabled={attendance.isPending} onClick={() => attendance.mutate('check-out')}>
            Check out
          </button>
        )}
        {allowed.includes('no_show') && (
          <button type="button" className="btn btn-danger-outline" disabled={attendance.isPending} onClick={() => attendance.mutate('no-show')}>
            Client did not come
          </button>
        )}
      </div>
      {allowed.includes('check_in') && <p className="muted small">Check-in opens 30 minutes before the start; a no-show can be recorded 15 minutes after it.</p>}
    </section>
  );
}
