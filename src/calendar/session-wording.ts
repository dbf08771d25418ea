/**
 * How sessions are put into words in e-mails and calendar entries. A session happens at a place in its
 * therapist's market, so its local time there, in the therapist's zone and named, is what both people need.
 */
import type { SessionFacts } from './session-facts.js';

interface ZoneFormats {
  date: Intl.DateTimeFormat;
  time: Intl.DateTimeFormat;
  zone: Intl.DateTimeFormat;
}

const zoneFormats = new Map<string, ZoneFormats>();

function formatsFor(zone: string): ZoneFormats {
  let formats = zoneFormats.get(zone);
  if (!formats) {
    formats = {
      date: new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }),
      time: new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
      zone: new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'long' }),
    };
    zoneFormats.set(zone, formats);
  }
  return formats;
}

/** The local date's parts, assembled here so the wording does not depend on the ICU version's punctuation. */
function localDate(instant: number, zone: string) {
  const parts = Object.fromEntries(formatsFor(zone).date.formatToParts(instant).map((p) => [p.type, p.value]));
  return { weekday: parts.weekday!, day: parts.day!, month: parts.month!, year: parts.year! };
}

/** "Tuesday 24 November 2026" */
function longDate(instant: number, zone: string): string {
  const d = localDate(instant, zone);
  return `${d.weekday} ${d.day} ${d.month} ${d.year}`;
}

/** "Eastern Standard Time": the zone's name at that instant, so summer and winter read correctly. */
export function zoneName(zone: string, instant: number): string {
  return formatsFor(zone).zone.formatToParts(instant).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/** "Tuesday 24 November 2026, 10:00–11:00 Eastern Standard Time (America/New_York)" */
export function sessionTimeInWords(startsAt: number, endsAt: number, zone: string): string {
  const time = formatsFor(zone).time;
  return `${longDate(startsAt, zone)}, ${time.format(startsAt)}–${time.format(endsAt)} ${zoneName(zone, startsAt)} (${zone})`;
}

/** "Tuesday 24 November 2026, 10:00 Eastern Standard Time": a single instant, e.g. a cancellation cut-off. */
export function instantInWords(instant: number, zone: string): string {
  return `${longDate(instant, zone)}, ${formatsFor(zone).time.format(instant)} ${zoneName(zone, instant)}`;
}

/** "Tue 24 Nov, 10:00", for subjects. */
export function shortStart(startsAt: number, zone: string): string {
  const d = localDate(startsAt, zone);
  return `${d.weekday.slice(0, 3)} ${d.day} ${d.month.slice(0, 3)}, ${formatsFor(zone).time.format(startsAt)}`;
}

export function moneyInWords(cents: number, currency: string): string {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}

/** "Midtown Studio, 1 Test Street, New York", or the client's address for a home visit. */
export function placeInWords(session: Pick<SessionFacts, 'mode' | 'studioName' | 'address'>): string {
  return session.mode === 'studio' && session.studioName ? `${session.studioName}, ${session.address}` : session.address;
}

export function sessionTitle(session: Pick<SessionFacts, 'durationMin'>): string {
  return `Deep tissue massage (${session.durationMin} min)`;
}
