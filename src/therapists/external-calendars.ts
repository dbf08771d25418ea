import type { Kysely, Selectable, Transaction } from 'kysely';
import { z } from 'zod';
import type { Config } from '../config.js';
import { defineJob } from '../jobs/job-runner.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import type { DB } from '../schema.js';
import type { BusySpan } from './engine/external-busy.js';
import { type CalendarFetchOutcome, fetchCalendarText } from './external-calendar-fetch.js';
import type { ExternalCalendarErrorCode, ExternalCalendarsTable } from './therapist-tables.js';

type Db = Kysely<DB> | Transaction<DB>;
type Settings = Config['externalCalendars'];

const DAY = 86_400_000;
const MINUTE = 60_000;

/** How many other calendars one therapist may add. */
export const MAX_EXTERNAL_CALENDARS = 5;
/** "Refresh now" reads a calendar at most this often. */
export const REFRESH_NOW_INTERVAL_MS = 30_000;

/** Safe defaults for callers that are not given the configuration (background work in tests). */
export const DEFAULT_EXTERNAL_CALENDAR_SETTINGS: Settings = {
  allowPrivateAddresses: false,
  timeoutMs: 10_000,
  maxBytes: 5_000_000,
  refreshMinutes: 15,
};

export const externalCalendarSchema = z
  .object({
    id: z.uuid(),
    address: z.string().describe('The host and last characters of the secret address; it is never shown in full'),
    addedAt: z.iso.datetime(),
    lastAttemptAt: z.iso.datetime().nullable(),
    lastRefreshedAt: z.iso.datetime().nullable().describe('The last good read, whose busy times are in force'),
    error: z
      .object({
        code: z.enum([
          'http_status',
          'timeout',
          'not_ics',
          'too_large',
          'unreachable',
          'private_address',
          'too_many_redirects',
        ]),
        message: z.string(),
      })
      .nullable()
      .describe('Why the last read failed; null after a good one'),
    busyTimes: z.number().int().describe('Busy intervals from the last good read that have not ended'),
    busyUntil: z.iso.datetime().nullable().describe('The busy times cover up to here'),
  })
  .meta({ id: 'ExternalCalendar' });
export type ExternalCalendarView = z.infer<typeof externalCalendarSchema>;

/** The secret address as the therapist recognises it: host, then its last six characters. */
export function addressHint(url: string): string {
  const parsed = new URL(url);
  const tail = `${parsed.pathname}${parsed.search}`;
  return `${parsed.host}/…${tail.slice(-6)}`;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

function viewOf(row: Selectable<ExternalCalendarsTable>, busyTimes: number): ExternalCalendarView {
  return {
    id: row.id,
    address: addressHint(row.url),
    addedAt: row.created_at.toISOString(),
    lastAttemptAt: iso(row.last_attempt_at),
    lastRefreshedAt: iso(row.last_success_at),
    error: row.last_error_code && row.last_error ? { code: row.last_error_code, message: row.last_error } : null,
    busyTimes,
    busyUntil: iso(row.busy_until),
  };
}

/** The therapist's other calendars, oldest first, each with its count of busy intervals still to come. */
export async function listExternalCalendars(db: Db, therapistId: string, now: number): Promise<ExternalCalendarView[]> {
  const rows = await db
    .selectFrom('external_calendars')
    .selectAll()
    .where('therapist_id', '=', therapistId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  if (rows.length === 0) return [];
  const counts = await db
    .selectFrom('external_busy_times')
    .select(['calendar_id', (eb) => eb.fn.countAll<string>().as('n')])
    .where('therapist_id', '=', therapistId)
    .where('ends_at', '>', new Date(now))
    .groupBy('calendar_id')
    .execute();
  const countOf = new Map(counts.map((c) => [c.calendar_id, Number(c.n)]));
  return rows.map((row) => viewOf(row, countOf.get(row.id) ?? 0));
}

export async function externalCalendarOf(db: Db, therapistId: string, calendarId: string, now: number) {
  return (await listExternalCalendars(db, therapistId, now)).find((c) => c.id === calendarId);
}

/**
 * Adds the calendar and schedules its reading every `refreshMinutes`. Returns its id, or null when the therapist
 * already has this address. The caller checks the count first, under the therapist's lock.
 */
export async function addExternalCalendar(
  trx: Transaction<DB>,
  therapistId: string,
  url: string,
  now: number,
  settings: Settings,
): Promise<string | null> {
  const inserted = await trx
    .insertInto('external_calendars')
    .values({ therapist_id: therapistId, url, created_at: new Date(now) })
    .onConflict((oc) => oc.columns(['therapist_id', 'url']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return null;
  await scheduleNextRead(trx, inserted.id, now + settings.refreshMinutes * MINUTE, now);
  return inserted.id;
}

export async function countExternalCalendars(db: Db, therapistId: string): Promise<number> {
  const row = await db
    .selectFrom('external_calendars')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('therapist_id', '=', therapistId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Removes the calendar and its busy times (search is told by the busy times' trigger). Whether it was theirs. */
export async function removeExternalCalendar(db: Db, therapistId: string, calendarId: string): Promise<boolean> {
  const deleted = await db
    .deleteFrom('external_calendars')
    .where('id', '=', calendarId)
    .where('therapist_id', '=', therapistId)
    .executeTakeFirst();
  return deleted.numDeletedRows > 0n;
}

/** What one read of a calendar found: its busy times over a window, or why there are none this time. */
export type CalendarRead =
  { ok: true; busy: BusySpan[]; until: number } | { ok: false; code: ExternalCalendarErrorCode; message: string };

/**
 * Reads the calendar over the therapist's booking window (from a day ago) and expands it into busy intervals.
 * Network work, done outside any transaction. Null when the calendar is gone.
 */
export async function readExternalCalendar(
  db: Db,
  calendarId: string,
  now: number,
  settings: Settings,
): Promise<CalendarRead | null> {
  const calendar = await db
    .selectFrom('external_calendars as c')
    .innerJoin('therapists as t', 't.user_id', 'c.therapist_id')
    .select(['c.url', 't.time_zone', 't.booking_window_days'])
    .where('c.id', '=', calendarId)
    .executeTakeFirst();
  if (!calendar) return null;
  const fetched: CalendarFetchOutcome = await fetchCalendarText(calendar.url, settings);
  if (!fetched.ok) return fetched;
  const until = now + (calendar.booking_window_days + 2) * DAY;
  // The expansion (node-ical, with rrule and its zone data) is loaded on the first read, not at start-up.
  const { externalBusyTimes } = await import('./engine/external-busy.js');
  const expanded = externalBusyTimes(fetched.text, { from: now - DAY, to: until }, calendar.time_zone);
  if (!expanded.ok)
    return { ok: false, code: 'not_ics', message: 'The address did not answer with an iCalendar (.ics) file' };
  return { ok: true, busy: expanded.busy, until };
}

/**
 * Records a read: a good one replaces the busy times (only if they changed, so search reloads the therapist only
 * then) and clears the error; a failed one keeps the last good busy times in force and records why.
 */
export async function recordExternalCalendarRead(
  trx: Transaction<DB>,
  calendarId: string,
  read: CalendarRead,
  now: number,
): Promise<boolean> {
  const calendar = await trx
    .selectFrom('external_calendars')
    .select(['id', 'therapist_id'])
    .where('id', '=', calendarId)
    .forUpdate()
    .executeTakeFirst();
  if (!calendar) return false;
  const at = new Date(now);
  if (!read.ok) {
    await trx
      .updateTable('external_calendars')
      .set({ last_attempt_at: at, last_error_code: read.code, last_error: read.message.slice(0, 500) })
      .where('id', '=', calendarId)
      .execute();
    return true;
  }
  const stored = await trx
    .selectFrom('external_busy_times')
    .select(['starts_at', 'ends_at'])
    .where('calendar_id', '=', calendarId)
    .orderBy('starts_at')
    .execute();
  const same =
    stored.length === read.busy.length &&
    stored.every((s, i) => s.starts_at.getTime() === read.busy[i]!.start && s.ends_at.getTime() === read.busy[i]!.end);
  if (!same) {
    await trx.deleteFrom('external_busy_times').where('calendar_id', '=', calendarId).execute();
    for (let i = 0; i < read.busy.length; i += 500) {
      await trx
        .insertInto('external_busy_times')
        .values(
          read.busy.slice(i, i + 500).map((span) => ({
            calendar_id: calendarId,
            therapist_id: calendar.therapist_id,
            starts_at: new Date(span.start),
            ends_at: new Date(span.end),
          })),
        )
        .execute();
    }
  }
  await trx
    .updateTable('external_calendars')
    .set({
      last_attempt_at: at,
      last_success_at: at,
      last_error_code: null,
      last_error: null,
      busy_until: new Date(read.until),
    })
    .where('id', '=', calendarId)
    .execute();
  return true;
}

/** Reads the calendar now and records the outcome (adding a calendar, "Refresh now"). */
export async function refreshExternalCalendar(
  db: Kysely<DB>,
  calendarId: string,
  now: number,
  settings: Settings,
): Promise<void> {
  const read = await readExternalCalendar(db, calendarId, now, settings);
  if (!read) return;
  await db.transaction().execute((trx) => recordExternalCalendarRead(trx, calendarId, read, now));
}

export const EXTERNAL_CALENDAR_READ = 'therapists.external_calendar_read';

function scheduleNextRead(trx: Transaction<DB>, calendarId: string, runAt: number, now: number) {
  return scheduleJob(
    trx,
    {
      kind: EXTERNAL_CALENDAR_READ,
      payload: { calendarId },
      runAt,
      dedupeKey: `${EXTERNAL_CALENDAR_READ}:${calendarId}:${runAt}`,
    },
    now,
  );
}

/**
 * Reads each calendar every `refreshMinutes`: the read (network) happens before the job's transaction, the outcome
 * is recorded in it together with the next read. A failed read is an outcome, not a failed job: it is shown to the
 * therapist and the calendar is read again on schedule. A removed calendar's job does nothing and ends the chain.
 */
export function externalCalendarReadJob(db: Kysely<DB>, settings: Settings = DEFAULT_EXTERNAL_CALENDAR_SETTINGS) {
  return defineJob<{ calendarId: string }, CalendarRead | null>({
    kind: EXTERNAL_CALENDAR_READ,
    payload: z.object({ calendarId: z.uuid() }).strict(),
    call: ({ calendarId }, { now }) => readExternalCalendar(db, calendarId, now, settings),
    async run(trx, { calendarId }, { now }, read) {
      if (!read) return;
      if (await recordExternalCalendarRead(trx, calendarId, read, now))
        await scheduleNextRead(trx, calendarId, now + settings.refreshMinutes * MINUTE, now);
    },
  });
}
