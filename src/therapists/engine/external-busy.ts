/**
 * A therapist's other calendar (an ICS file from Google, Apple or Outlook) as busy intervals over a window:
 * recurring events expanded (RRULE, EXDATE, RECURRENCE-ID overrides, time zones and their DST changes, by node-ical),
 * cancelled occurrences and free ("transparent") events left out, all-day events taken as whole local days in the
 * therapist's zone. Plain text in, plain numbers out.
 */
import ical from 'node-ical';
import { epochDayFromCivil } from '../../scheduling/engine/calendar-date.js';
import { localToInstant } from '../../scheduling/engine/zoned-time.js';

/** [start, end) in epoch milliseconds. */
export interface BusySpan {
  start: number;
  end: number;
}

export type ExternalBusyResult = { ok: true; busy: BusySpan[] } | { ok: false; reason: 'not_ics' };

/** Knotwork's own sessions carry UIDs ending so (calendar/engine/session-event.ts); they are never busy elsewhere. */
const OWN_UID_SUFFIX = '@knotwork';

/** More intervals than this in one window is not a therapist's calendar; the rest are left out. */
export const MAX_BUSY_SPANS = 5_000;

type Instance = ReturnType<typeof ical.expandRecurringEvent>[number];

/** Whether the text is an iCalendar file at all (a login page or an error page is not). */
export function looksLikeIcs(text: string): boolean {
  return /^\s*BEGIN:VCALENDAR\r?\n/i.test(text.replace(/^\uFEFF/, ''));
}

/**
 * The busy intervals of the calendar that overlap [from, to), clipped to it, sorted and merged. `zone` is the
 * therapist's: all-day events and floating times (no zone, no UTC) are read as their local dates and times there.
 */
export function externalBusyTimes(
  icsText: string,
  window: { from: number; to: number },
  zone: string,
): ExternalBusyResult {
  if (!looksLikeIcs(icsText)) return { ok: false, reason: 'not_ics' };
  let parsed: ical.CalendarResponse;
  try {
    parsed = ical.sync.parseICS(icsText);
  } catch {
    return { ok: false, reason: 'not_ics' };
  }
  const spans: BusySpan[] = [];
  for (const component of Object.values(parsed)) {
    if (component?.type !== 'VEVENT' || !isBusy(component)) continue;
    if (typeof component.uid === 'string' && component.uid.endsWith(OWN_UID_SUFFIX)) continue;
    let instances: Instance[];
    try {
      instances = ical.expandRecurringEvent(component, {
        from: new Date(window.from),
        to: new Date(window.to),
        expandOngoing: true,
      });
    } catch {
      continue; // one unreadable event does not hide the others
    }
    for (const instance of instances) {
      if (!isBusy(instance.event)) continue;
      const span = instanceSpan(instance, zone);
      const start = Math.max(span.start, window.from);
      const end = Math.min(span.end, window.to);
      if (end > start) spans.push({ start, end });
    }
  }
  return { ok: true, busy: mergeSpans(spans).slice(0, MAX_BUSY_SPANS) };
}

/** Busy unless cancelled or marked free (TRANSP:TRANSPARENT, e.g. birthdays and "free" all-day notes). */
function isBusy(event: ical.VEvent): boolean {
  return event.status !== 'CANCELLED' && event.transparency !== 'TRANSPARENT';
}

function instanceSpan(instance: Instance, zone: string): BusySpan {
  if (instance.isFullDay) {
    // node-ical gives a date as midnight of the process's own zone: its local fields are the calendar date.
    const first = localMidnight(instance.start, zone);
    const after = instance.end ? localMidnight(instance.end, zone) : first;
    return { start: first, end: after > first ? after : localMidnightAfter(instance.start, zone) };
  }
  const floating = !instance.start.tz;
  const start = floating ? localWallClock(instance.start, zone) : instance.start.getTime();
  const end = instance.end ? (floating ? localWallClock(instance.end, zone) : instance.end.getTime()) : start;
  return { start, end };
}

const epochDayOfLocalFields = (date: Date) =>
  epochDayFromCivil(date.getFullYear(), date.getMonth() + 1, date.getDate());

function localMidnight(date: Date, zone: string): number {
  return localToInstant(zone, epochDayOfLocalFields(date), 0);
}

function localMidnightAfter(date: Date, zone: string): number {
  return localToInstant(zone, epochDayOfLocalFields(date) + 1, 0);
}

/** A floating time: its wall-clock fields, read in the therapist's zone. */
function localWallClock(date: Date, zone: string): number {
  return localToInstant(zone, epochDayOfLocalFields(date), date.getHours() * 60 + date.getMinutes());
}

/** Sorted by start, overlapping and touching intervals joined. */
export function mergeSpans(spans: readonly BusySpan[]): BusySpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: BusySpan[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}
