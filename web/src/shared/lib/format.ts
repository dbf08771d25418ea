/**
 * Dates, times and money as people read them, through the one formatter shared with the server
 * (src/domain/session-time.ts). Instants come from the API as ISO strings in UTC.
 *
 * A session's time is the wall-clock time where it happens (`timeZone` on the booking or the search offer), with
 * the zone named when the browser's clock reads differently. Other instants (a message sent, a note signed) are
 * shown in the reader's own zone.
 */
import {
  type TimeStyle,
  formatCalendarDate,
  formatInstant,
  formatMoney as money,
  formatSessionTime,
  hostZone,
  localDateOf,
  localDateTimeOf,
  zoneDiffers,
  zoneName,
} from '../../../../src/domain/session-time';

export const browserZone = hostZone;

export { zoneName };

export const formatMoney = money;

/** A session from start to end in its own zone: "Tue, Nov 24, 9:30–10:30 AM" (or "… EST" from elsewhere). */
export const sessionTime = (
  session: { startsAt: string; endsAt: string; timeZone: string },
  style: TimeStyle = 'medium',
) => formatSessionTime(session.startsAt, session.endsAt, session.timeZone, { style, readerZone: browserZone() });

/** A session's time for a reader in `readerZone` (a schedule drawn in the therapist's zone): the zone named if it differs. */
export const sessionTimeFor = (
  session: { startsAt: string; endsAt: string; timeZone: string },
  readerZone: string,
  style: TimeStyle = 'medium',
) => formatSessionTime(session.startsAt, session.endsAt, session.timeZone, { style, readerZone });

/** An instant that belongs to a session (its start, a check-in, a live signal, a slot), in the session's zone. */
export const timeInZone = (iso: string, zone: string, style: TimeStyle = 'medium', readerZone = browserZone()) =>
  formatInstant(iso, zone, { style, readerZone });

/** The clock time of a session instant, unzoned ("9:30 AM"): for a list whose heading carries `zoneNotice`. */
export const clockTime = (iso: string, zone: string) => formatInstant(iso, zone, { style: 'time', readerZone: zone });

/** "Times in Eastern Standard Time" when the browser's clock reads differently from the zone's at `at`; else null. */
export const zoneNotice = (zone: string, at: string) =>
  zoneDiffers(zone, browserZone(), at) ? `Times in ${zoneName(zone, at)}` : null;

/** An instant that belongs to no place (a message sent, a note signed), in the reader's own zone. */
export const formatWhen = (iso: string, style: TimeStyle = 'medium') =>
  formatInstant(iso, browserZone(), { style, readerZone: browserZone() });

/** The calendar date (YYYY-MM-DD) of an instant in a zone. */
export const isoDateIn = (instant: Date | string, zone = browserZone()) => localDateOf(instant, zone);

export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday) of a calendar date. */
export const isoWeekday = (isoDate: string) => ((new Date(`${isoDate}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** A calendar date as words, without converting it through any zone. */
export const formatIsoDate = formatCalendarDate;

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** The local date and time ("2026-11-24T18:00") of an instant in a zone (a course's first session). */
export const localDateTimeIn = (instant: string, zone: string) => localDateTimeOf(instant, zone);
