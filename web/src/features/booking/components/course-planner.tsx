import { useState } from 'react';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { ApiError } from '../../../shared/lib/api-client';
import type { BookingCourse, BookingCourseInput } from '../../../shared/lib/api-types';
import { clockTime, localDateTimeIn, timeInZone, zoneNotice } from '../../../shared/lib/format';
import { Link } from '../../../shared/lib/router';
import type { HoldInput } from '../api/bookings';
import { useHoldCourse, usePreviewCourse } from '../api/courses';
import { ConfirmCourse } from './confirm-course';

/** The API's most sessions in one course (engine/course-recurrence.ts MAX_COURSE_SESSIONS). */
export const MAX_COURSE_SESSIONS = 12;

export interface CourseStart {
  therapistId: string;
  therapistName: string;
  durationMin: 60 | 90 | 120;
  place: HoldInput['place'];
  /** The first session's start (an instant) and its place's zone. */
  start: string;
  zone: string;
  /** The client's hold this course replaces ("Make it a course"): it stays held until the course is. */
  replacesBookingId?: string | undefined;
}

type Session = BookingCourse['sessions'][number];
/** A session that cannot be held as asked: moved to one of its alternatives, or left out (null). */
type Choices = Record<number, string | null>;

const SAFETY = new Set(['screening_not_today', 'focus_regions_excluded']);

function SessionRow({
  session,
  zone,
  choice,
  onChoose,
}: {
  session: Session;
  zone: string;
  choice: string | null | undefined;
  onChoose: (startsAt: string | null) => void;
}) {
  const when = timeInZone(session.startsAt, zone, 'medium');
  if (session.available)
    return (
      <li className="course-session" data-state="available">
        <span className="course-when">{when}</span> <span className="badge badge-confirmed">Available</span>
      </li>
    );
  if (session.reason !== null && SAFETY.has(session.reason))
    return (
      <li className="course-session" data-state="refused">
        <span className="course-when">{when}</span> <span className="badge badge-cancelled">Cannot go ahead</span>
        <p className="small">{session.message}</p>
        <p className="small muted">Left out of the course.</p>
      </li>
    );
  const taken = session.reason === 'slot_unavailable' ? 'Taken' : 'Not offered';
  return (
    <li className="course-session" data-state="conflict">
      <span className="course-when">{when}</span> <span className="badge badge-held">{taken}</span>
      {session.alternatives.length > 0 ? (
        <div className="course-alternatives" role="group" aria-label={`Other times on ${when}`}>
          <span className="small">Nearest free times that day:</span>
          {session.alternatives.map((alternative) => (
            <button
              key={alternative}
              type="button"
              className={`btn btn-small${choice === alternative ? ' btn-primary' : ''}`}
              aria-pressed={choice === alternative}
              onClick={() => onChoose(alternative)}
            >
              {clockTime(alternative, zone)}
            </button>
          ))}
        </div>
      ) : (
        <p className="small muted">No other free time that day.</p>
      )}
      <p className="small muted" aria-live="polite">
        {typeof choice === 'string'
          ? `Moved to ${clockTime(choice, zone)}.`
          : 'Left out of the course unless you choose another time.'}
      </p>
    </li>
  );
}

/**
 * "Make it a course": the first session's time repeated every week or every other week, N sessions; each date
 * checked (available, taken with the nearest free times that day, or refused by the health screening with its
 * reason), then every accepted session held in one go, or none. Each held session is then confirmed like a single
 * booking, and can be moved or cancelled on its own.
 */
export function CoursePlanner({
  course,
  initialCount = 6,
  initialEvery = 1,
  onChangeStart,
}: {
  course: CourseStart;
  initialCount?: number;
  initialEvery?: 1 | 2;
  onChangeStart?: (() => void) | undefined;
}) {
  const [every, setEvery] = useState<1 | 2>(initialEvery);
  const [countText, setCountText] = useState(String(Math.min(MAX_COURSE_SESSIONS, Math.max(2, initialCount))));
  const typed = Number(countText);
  const countOk = Number.isInteger(typed) && typed >= 2 && typed <= MAX_COURSE_SESSIONS;
  const count = countOk ? typed : 2;
  const [choices, setChoices] = useState<Choices>({});
  const [changedMeanwhile, setChangedMeanwhile] = useState(false);
  const preview = usePreviewCourse();
  const hold = useHoldCourse();

  const input = (): BookingCourseInput => ({
    therapistId: course.therapistId,
    durationMin: course.durationMin,
    place: course.place,
    firstStart: localDateTimeIn(course.start, course.zone),
    rrule: `FREQ=WEEKLY;INTERVAL=${every};COUNT=${count}`,
    ...(course.replacesBookingId ? { replacesBookingId: course.replacesBookingId } : {}),
  });
  const check = () => {
    setChoices({});
    hold.reset();
    preview.mutate(input());
  };
  const reset = () => {
    preview.reset();
    hold.reset();
    setChoices({});
    setChangedMeanwhile(false);
  };

  const sessions = preview.data?.sessions ?? [];
  const kept = sessions.filter((s) => s.available || typeof choices[s.index] === 'string');
  const onHold = () => {
    setChangedMeanwhile(false);
    const changes = sessions
      .filter((s) => !s.available)
      .map((s) => ({ index: s.index, startsAt: typeof choices[s.index] === 'string' ? choices[s.index]! : null }));
    hold.mutate(
      { ...input(), ...(changes.length > 0 ? { changes } : {}) },
      {
        onError: (error) => {
          // Someone took a time meanwhile: check the dates again, the client chooses again.
          if (error instanceof ApiError && error.code === 'course_unavailable') {
            setChangedMeanwhile(true);
            setChoices({});
            preview.mutate(input());
          }
        },
      },
    );
  };

  if (hold.data) return <ConfirmCourse course={hold.data} therapistName={course.therapistName} />;

  const notice = zoneNotice(course.zone, course.start);
  return (
    <section className="card stack" aria-labelledby="course-heading">
      <h2 id="course-heading">Make it a course</h2>
      <p>
        {course.durationMin} minutes with {course.therapistName}, first session{' '}
        <strong>{timeInZone(course.start, course.zone, 'long')}</strong>.{' '}
        {onChangeStart && (
          <button type="button" className="btn btn-link" onClick={onChangeStart}>
            Choose another first time
          </button>
        )}
      </p>
      {course.replacesBookingId && (
        <p className="small muted">The time you hold stays yours until the course is held, which releases it.</p>
      )}
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          check();
        }}
      >
        <div className="field-row">
          <FieldSet legend="Repeat">
            <div className="segmented">
              {([1, 2] as const).map((weeks) => (
                <label key={weeks}>
                  <input
                    type="radio"
                    name="course-every"
                    value={weeks}
                    checked={every === weeks}
                    onChange={() => {
                      setEvery(weeks);
                      reset();
                    }}
                  />
                  <span>{weeks === 1 ? 'Every week' : 'Every 2 weeks'}</span>
                </label>
              ))}
            </div>
          </FieldSet>
          <Field
            label="Sessions"
            hint={`2 to ${MAX_COURSE_SESSIONS}`}
            error={countOk ? undefined : `Choose 2 to ${MAX_COURSE_SESSIONS} sessions`}
          >
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={2}
                max={MAX_COURSE_SESSIONS}
                value={countText}
                onChange={(e) => {
                  setCountText(e.target.value);
                  reset();
                }}
              />
            )}
          </Field>
        </div>
        <div className="actions">
          <button type="submit" className="btn" disabled={preview.isPending || !countOk}>
            {preview.isPending ? 'Checking the dates…' : 'Check the dates'}
          </button>
        </div>
      </form>
      <ErrorNotice error={preview.error} />
      {preview.data && (
        <>
          {changedMeanwhile && (
            <p className="notice notice-warning" role="alert">
              A time was taken meanwhile, so nothing was held. Here are the dates as they are now.
            </p>
          )}
          <h3>The dates</h3>
          {notice && <p className="small muted">{notice}</p>}
          <ol className="course-sessions stack" aria-label="Sessions of the course">
            {sessions.map((session) => (
              <SessionRow
                key={session.index}
                session={session}
                zone={preview.data.timeZone}
                choice={choices[session.index]}
                onChoose={(startsAt) => setChoices((c) => ({ ...c, [session.index]: startsAt }))}
              />
            ))}
          </ol>
          {hold.error !== null && !(hold.error instanceof ApiError && hold.error.code === 'course_unavailable') && (
            <ErrorNotice error={hold.error} />
          )}
          <div className="actions">
            <button
              type="button"
              className="btn btn-primary"
              disabled={kept.length === 0 || hold.isPending}
              onClick={onHold}
            >
              {hold.isPending ? 'Holding…' : `Hold all ${kept.length}`}
            </button>
            <Link className="btn btn-link" to="/bookings">
              My bookings
            </Link>
          </div>
          {kept.length < sessions.length && (
            <p className="small muted">
              {sessions.length - kept.length} of the {sessions.length} dates{' '}
              {sessions.length - kept.length === 1 ? 'is' : 'are'} left out;{' '}
              {kept.length === 1
                ? 'the other is held on its own.'
                : `the ${kept.length} others are held together, or none.`}
            </p>
          )}
        </>
      )}
    </section>
  );
}
