import { describeCancellationPolicy } from '../../booking/engine/cancellation-policy.js';
import type { IcsEvent } from './ics-writer.js';
import type { SessionFacts } from './session-facts.js';
import { instantInWords, placeInWords, sessionTimeInWords, sessionTitle } from './session-wording.js';

export type Audience = 'client' | 'therapist';

/** States in which the session will not take place; calendars show them as STATUS:CANCELLED. */
const CALLED_OFF = new Set(['cancelled', 'rescheduled', 'expired']);

/**
 * One booking as an entry in the client's or the therapist's calendar. The UID is the booking's, for good, and the
 * SEQUENCE its revision: a session awaiting clearance is TENTATIVE (the time stays visible and busy), then the same
 * event becomes CONFIRMED once cleared, or CANCELLED when released or cancelled.
 */
export function sessionEvent(session: SessionFacts, audience: Audience, stamp: number): IcsEvent {
  const calledOff = CALLED_OFF.has(session.status);
  const tentative = session.status === 'awaiting_clearance';
  const title =
    audience === 'client'
      ? `${sessionTitle(session)} with ${session.therapist.name}`
      : `${sessionTitle(session)}: ${session.client.name}`;
  const fate =
    session.status === 'rescheduled'
      ? 'This session was moved to another time; the new time is a separate entry.'
      : calledOff
        ? 'This session was cancelled.'
        : tentative
          ? `Not confirmed yet: it is released, free of charge, unless it is confirmed by ${instantInWords(session.clearanceDueAt ?? session.startsAt, session)}. Open the booking in Knotwork to see what is still needed.`
          : undefined;
  const description = [
    ...(fate ? [fate] : []),
    `${sessionTimeInWords(session)}.`,
    session.mode === 'home' ? 'Home visit.' : 'At the studio.',
    `Cancellation terms: ${describeCancellationPolicy(session.policy, session.priceCents, session.currency)}`,
  ].join('\n');
  return {
    uid: `${session.bookingId}@knotwork`,
    sequence: session.revision,
    stamp,
    created: session.createdAt,
    lastModified: session.updatedAt,
    start: session.startsAt,
    end: session.endsAt,
    status: calledOff ? 'CANCELLED' : tentative ? 'TENTATIVE' : 'CONFIRMED',
    // Some calendars ignore STATUS; the title says it too.
    summary: calledOff ? `Cancelled: ${title}` : tentative ? `Not confirmed: ${title}` : title,
    location: placeInWords(session),
    description,
  };
}
