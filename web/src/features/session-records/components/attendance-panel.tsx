import { useId, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { StatusBadge } from '../../../shared/components/status-badge';
import { ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { SessionRecord } from '../../../shared/lib/api-types';
import { sessionTime, timeInZone } from '../../../shared/lib/format';
import { useNow } from '../../../shared/lib/use-now';
import { useAttendance } from '../api/session-records';
import { attendanceBlocks } from '../lib/attendance-windows';

/** Scores typed so far, per region; a region left empty was not asked. */
type Answers = Record<string, number | undefined>;

/**
 * Pain now, per focus region, asked at check-in: the client's own report for this session, which their progress
 * and the note's "pain before" use. A region left empty is recorded as not asked.
 */
function PainNowQuestion({
  record,
  answers,
  onChange,
  error,
}: {
  record: SessionRecord;
  answers: Answers;
  onChange: (answers: Answers) => void;
  error: unknown;
}) {
  const asked = record.painReports.filter((p) => answers[p.region] !== undefined);
  return (
    <fieldset className="fieldset pain-now" data-testid="pain-now">
      <legend>Pain now: ask {record.booking.client.displayName}</legend>
      <p className="field-hint">
        0 (none) to 10 (worst imaginable), for each area of the session. Leave an area empty if it was not asked; it
        stays “not asked”.
      </p>
      <div className="score-grid">
        {record.painReports.map((p) => (
          <Field
            key={p.region}
            label={p.label}
            error={fieldError(error, `painNow.${asked.findIndex((a) => a.region === p.region)}.score`)}
            className="score-field"
          >
            {(control) => (
              <input
                {...control}
                type="number"
                inputMode="numeric"
                min={0}
                max={10}
                step={1}
                value={answers[p.region] ?? ''}
                onChange={(e) =>
                  onChange({ ...answers, [p.region]: e.target.value === '' ? undefined : Number(e.target.value) })
                }
              />
            )}
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

/**
 * Check-in, check-out and no-show, each offered when the booking allows it and usable within its window (outside
 * it the button is disabled with the reason next to it), with the times recorded and the pain asked at check-in.
 */
export function AttendancePanel({ record, zone }: { record: SessionRecord; zone: string }) {
  const attendance = useAttendance(record.booking.id);
  const [answers, setAnswers] = useState<Answers>({});
  const now = useNow(30_000);
  const id = useId();
  const { attendance: times, booking } = record;
  const allowed = booking.allowedActions;
  const blocked = attendanceBlocks(booking, now, zone);
  const painNow = record.painReports.flatMap((p) =>
    answers[p.region] === undefined ? [] : [{ region: p.region, score: answers[p.region]! }],
  );
  return (
    <section className="card stack" aria-labelledby="attendance-heading">
      <div className="row-between">
        <h2 id="attendance-heading">Attendance</h2>
        <StatusBadge status={booking.status} />
      </div>
      <dl className="facts">
        <div>
          <dt>Booked</dt>
          <dd>{sessionTime(booking, 'time')}</dd>
        </div>
        {times.checkedInAt && (
          <div>
            <dt>Checked in</dt>
            <dd>{timeInZone(times.checkedInAt, zone, 'time')}</dd>
          </div>
        )}
        {times.checkedInAt && record.painReports.length > 0 && (
          <div>
            <dt>Pain at check-in</dt>
            <dd data-testid="pain-at-check-in">
              {record.painReports
                .map((p) => `${p.label}: ${p.score === null ? 'not asked' : `${p.score}/10`}`)
                .join(' · ')}
            </dd>
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
      {allowed.includes('check_in') && record.painReports.length > 0 && (
        <PainNowQuestion record={record} answers={answers} onChange={setAnswers} error={attendance.error} />
      )}
      <ErrorNotice error={attendance.error} shownFields={['painNow']} />
      <div className="actions">
        {allowed.includes('check_in') && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={attendance.isPending || blocked.checkIn !== null}
            aria-describedby={blocked.checkIn ? `${id}-check-in` : undefined}
            onClick={() => attendance.mutate({ action: 'check-in', painNow })}
          >
            Check in
          </button>
        )}
        {allowed.includes('check_out') && (
          <button
            type="button"
            className="btn btn-primary"
            disabled={attendance.isPending}
            onClick={() => attendance.mutate({ action: 'check-out' })}
          >
            Check out
          </button>
        )}
        {allowed.includes('no_show') && (
          <button
            type="button"
            className="btn btn-danger-outline"
            disabled={attendance.isPending || blocked.noShow !== null}
            aria-describedby={blocked.noShow ? `${id}-no-show` : undefined}
            onClick={() => attendance.mutate({ action: 'no-show' })}
          >
            Client did not come
          </button>
        )}
      </div>
      {allowed.includes('check_in') && blocked.checkIn && (
        <p className="field-hint" id={`${id}-check-in`} data-testid="check-in-closed">
          {blocked.checkIn}
        </p>
      )}
      {allowed.includes('no_show') && blocked.noShow && (
        <p className="field-hint" id={`${id}-no-show`} data-testid="no-show-closed">
          {blocked.noShow}
        </p>
      )}
    </section>
  );
}
