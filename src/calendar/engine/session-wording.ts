/**
 * How a session is put into words in e-mails and calendar entries. Its time is written by the one formatter,
 * `domain/session-time.ts`, in the session's own zone (the place's), with the zone named: a message may be read
 * anywhere.
 */
import { formatInstant, formatSessionTime } from '../../domain/session-time.js';
import type { SessionFacts } from './session-facts.js';

/** "Tuesday, November 24, 2026, 9:30–10:30 AM Eastern Standard Time" */
export function sessionTimeInWords(session: Pick<SessionFacts, 'startsAt' | 'endsAt' | 'zone'>): string {
  return formatSessionTime(session.startsAt, session.endsAt, session.zone, { style: 'full' });
}

/** "Tuesday, November 24, 2026, 9:30 AM Eastern Standard Time": an instant about the session, e.g. a cut-off. */
export function instantInWords(instant: number, session: Pick<SessionFacts, 'zone'>): string {
  return formatInstant(instant, session.zone, { style: 'full' });
}

/** "Tue, Nov 24, 9:30 AM EST", for subjects. */
export function shortStart(session: Pick<SessionFacts, 'startsAt' | 'zone'>): string {
  return formatInstant(session.startsAt, session.zone, { style: 'medium' });
}

/** "Midtown Studio, 1 Test Street, New York", or the client's address for a home visit. */
export function placeInWords(session: Pick<SessionFacts, 'mode' | 'studioName' | 'address'>): string {
  return session.mode === 'studio' && session.studioName
    ? `${session.studioName}, ${session.address}`
    : session.address;
}

export function sessionTitle(session: Pick<SessionFacts, 'durationMin'>): string {
  return `Deep tissue massage (${session.durationMin} min)`;
}
