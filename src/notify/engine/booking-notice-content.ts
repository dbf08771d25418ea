import { escapeHtml } from '../../domain/escape-html.js';
import { describeCancellationPolicy } from '../../booking/engine/cancellation-policy.js';
import { writeCalendar } from '../../calendar/engine/ics-writer.js';
import { type Audience, sessionEvent } from '../../calendar/engine/session-event.js';
import type { SessionFacts } from '../../calendar/engine/session-facts.js';
import { instantInWords, placeInWords, sessionTimeInWords, shortStart } from '../../calendar/engine/session-wording.js';
import { formatMoney } from '../../domain/session-time.js';
import { GUIDE_TITLES, guidePath } from '../../domain/guide-links.js';
import type { MessageAttachment, OutgoingMessage } from './outgoing-message.js';

/** What happened to a booking that both its client and its therapist are told about. */
export type BookingNotice =
  | { kind: 'confirmed'; session: SessionFacts }
  | { kind: 'reminder'; session: SessionFacts }
  | { kind: 'cancelled'; session: SessionFacts; by: 'client' | 'therapist' | 'operator' }
  | { kind: 'rescheduled'; previous: SessionFacts; session: SessionFacts }
  /** The session waits for a verified medical clearance until `dueAt`, else it is released. */
  | { kind: 'awaiting_clearance'; session: SessionFacts; dueAt: number }
  /** The clearance was not verified by the deadline: released, free of charge. */
  | { kind: 'released'; session: SessionFacts };

interface Letter {
  subject: string;
  opening: string;
  facts: [label: string, value: string][];
  closing?: string;
  /** Pages to read, as links (HTML) and addresses (text). */
  links?: { label: string; href: string }[];
  attachment?: MessageAttachment;
}

/** Where Knotwork's own pages are: the public URL. Without one (development), letters carry no links. */
export interface LetterLinks {
  siteUrl?: string | undefined;
}

const HOUR = 3_600_000;

/**
 * One message to the client and one to the therapist, each in words for its reader, with times in the
 * session's own zone (the place's, where it happens) and the zone named. No health data and no free text a user
 * typed (a cancellation reason may be about health) ever goes into an e-mail. Pure: `now` stamps the calendar
 * file.
 */
export function bookingNoticeMessages(notice: BookingNotice, now: number, links: LetterLinks = {}): OutgoingMessage[] {
  return (['client', 'therapist'] as const).map((audience) => {
    const letter = compose(notice, audience, now, links);
    const reader = audience === 'client' ? notice.session.client : notice.session.therapist;
    return {
      userId: reader.id,
      kind: `booking.${notice.kind}`,
      subject: letter.subject,
      ...render(letter, reader.name),
      bookingId: notice.session.bookingId,
      attachments: letter.attachment ? [letter.attachment] : [],
      dedupeKey: `booking.${notice.kind}:${notice.session.bookingId}:${audience}`,
      // A confirmation, change notice or reminder is pointless once the session has started; a cancellation is not.
      ...(notice.kind === 'cancelled' || notice.kind === 'released' ? {} : { sendBefore: notice.session.startsAt }),
    };
  });
}

/** The client's guide to the session, "What to expect", once the session stands. */
function whatToExpect(forClient: boolean, links: LetterLinks): Pick<Letter, 'links'> {
  if (!forClient || !links.siteUrl) return {};
  return {
    links: [{ label: GUIDE_TITLES['what-to-expect'], href: `${links.siteUrl}${guidePath('what-to-expect')}` }],
  };
}

function compose(notice: BookingNotice, audience: Audience, now: number, links: LetterLinks): Letter {
  const s = notice.session;
  const forClient = audience === 'client';
  const when = shortStart(s);
  const sessionFacts = sessionFactLines(s, audience);
  switch (notice.kind) {
    case 'confirmed':
      return {
        subject: forClient
          ? `Booking confirmed: ${when} with ${s.therapist.name}`
          : `New booking: ${s.client.name}, ${when}`,
        opening: forClient
          ? `Your ${s.durationMin}-minute deep tissue session with ${s.therapist.name} is confirmed.`
          : `${s.client.name} booked a ${s.durationMin}-minute deep tissue session with you.`,
        facts: [...sessionFacts, ...termsLines(s)],
        closing: 'The attached calendar file adds the session to your calendar.',
        ...whatToExpect(forClient, links),
        attachment: calendarFile([sessionEvent(s, audience, now)]),
      };
    case 'reminder':
      return {
        subject: forClient ? `Reminder: ${when} with ${s.therapist.name}` : `Reminder: ${s.client.name}, ${when}`,
        opening: forClient
          ? `A reminder of your deep tissue session with ${s.therapist.name}, about a day from now.`
          : `A reminder of your session with ${s.client.name}, about a day from now.`,
        facts: [...sessionFacts, ...termsLines(s)],
      };
    case 'cancelled': {
      const fee = s.cancellationFeeCents ?? 0;
      return {
        subject: forClient ? `Cancelled: your session on ${when}` : `Cancelled: ${s.client.name}, ${when}`,
        opening: `${cancellerInWords(notice.by, audience, s)} cancelled the ${s.durationMin}-minute session on ${when}.`,
        facts: [...sessionFacts, ['Fee', feeInWords(fee, s, audience)]],
        closing: 'The attached calendar file marks the session as cancelled in your calendar.',
        attachment: calendarFile([sessionEvent(s, audience, now)]),
      };
    }
    case 'awaiting_clearance': {
      const by = instantInWords(notice.dueAt, s);
      return {
        subject: forClient
          ? `Medical clearance needed by ${shortStart({ startsAt: notice.dueAt, zone: s.zone })}: your session on ${when}`
          : `Awaiting clearance: ${s.client.name}, ${when}`,
        opening: forClient
          ? `Your ${s.durationMin}-minute deep tissue session with ${s.therapist.name} is reserved for you, but not confirmed yet: your health screening asks for a medical clearance first. Nothing has been charged.`
          : `${s.client.name} reserved a ${s.durationMin}-minute deep tissue session with you. Their health screening asks for a medical clearance first, so it is not confirmed yet.`,
        facts: [
          ...sessionFacts,
          [
            'What is missing',
            forClient
              ? 'A medical clearance document, uploaded in Knotwork and verified by your therapist. Open the booking to see which clearance and from whom.'
              : 'A medical clearance document from the client, verified by you. Open the booking in Knotwork to see which clearance and to review the document.',
          ],
          ['By when', by],
        ],
        closing: forClient
          ? 'Once the clearance is verified the session is confirmed and the price charged. If it is not verified by then, the session is released free of charge. The attached calendar file keeps the time in your calendar, marked tentative.'
          : 'Once you verify the clearance the session is confirmed. If it is not verified by then, the session is released and the time is free again. The attached calendar file keeps the time in your calendar, marked tentative.',
        // Tentative in the calendar, so the time stays visible; the confirmation or the release replaces it.
        attachment: calendarFile([sessionEvent(s, audience, now)]),
      };
    }
    case 'released':
      return {
        subject: forClient ? `Released: your session on ${when}` : `Released: ${s.client.name}, ${when}`,
        opening: forClient
          ? `The medical clearance for your session with ${s.therapist.name} was not verified 24 hours before it, so the session was released. Nothing was charged; you can book again once you have the clearance.`
          : `The medical clearance for the session with ${s.client.name} was not verified 24 hours before it, so the session was released and the time is free again.`,
        facts: [...sessionFacts, ['Fee', 'None']],
        closing: 'The attached calendar file marks the session as cancelled in your calendar.',
        attachment: calendarFile([sessionEvent(s, audience, now)]),
      };
    case 'rescheduled': {
      const previous = notice.previous;
      const fee = previous.cancellationFeeCents ?? 0;
      return {
        subject: forClient ? `Moved: your session is now ${when}` : `Moved: ${s.client.name}, now ${when}`,
        opening: forClient
          ? `Your session with ${s.therapist.name} has moved from ${shortStart(previous)} to ${when}.`
          : `${s.client.name} moved their session with you from ${shortStart(previous)} to ${when}.`,
        facts: [
          ['Was', sessionTimeInWords(previous)],
          ...sessionFacts,
          ...(fee > 0 ? [['Fee for moving late', feeInWords(fee, s, audience)] as [string, string]] : []),
          ...termsLines(s),
        ],
        closing: 'The attached calendar file moves the session in your calendar.',
        attachment: calendarFile([sessionEvent(previous, audience, now), sessionEvent(s, audience, now)]),
      };
    }
  }
}

function sessionFactLines(s: SessionFacts, audience: Audience): [string, string][] {
  return [
    ['When', sessionTimeInWords(s)],
    ['Where', s.mode === 'home' ? `Home visit: ${s.address}` : placeInWords(s)],
    audience === 'client' ? ['Therapist', s.therapist.name] : ['Client', s.client.name],
    ['Price', formatMoney(s.priceCents, s.currency)],
  ];
}

/** The terms in words and, when a late fee exists, the exact moment free cancellation ends. */
function termsLines(s: SessionFacts): [string, string][] {
  const lines: [string, string][] = [
    ['Cancellation terms', describeCancellationPolicy(s.policy, s.priceCents, s.currency)],
  ];
  if (s.policy.lateFeePercent > 0) {
    lines.push(['Free cancellation until', instantInWords(s.startsAt - s.policy.freeUntilHoursBefore * HOUR, s)]);
  }
  return lines;
}

function cancellerInWords(by: 'client' | 'therapist' | 'operator', audience: Audience, s: SessionFacts): string {
  if (by === 'operator') return 'Knotwork';
  if (by === audience) return 'You';
  return by === 'client' ? s.client.name : s.therapist.name;
}

function feeInWords(feeCents: number, s: SessionFacts, audience: Audience): string {
  if (feeCents === 0) return 'None';
  const money = formatMoney(feeCents, s.currency);
  return audience === 'client'
    ? `${money}, under the cancellation terms you agreed to`
    : `${money}, paid by the client`;
}

function calendarFile(events: ReturnType<typeof sessionEvent>[]): MessageAttachment {
  return {
    filename: 'knotwork-session.ics',
    // PUBLISH: the file carries the session's current state; there is no invitation to answer (RFC 5546 REQUEST
    // would ask mail clients to send RSVPs to an organizer that does not read them).
    contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
    content: writeCalendar({ method: 'PUBLISH', events }),
  };
}

function render(letter: Letter, readerName: string): { text: string; html: string } {
  const greeting = `Hi ${readerName},`;
  const text = [
    greeting,
    letter.opening,
    letter.facts.map(([label, value]) => `${label}: ${value}`).join('\n'),
    ...(letter.closing ? [letter.closing] : []),
    ...(letter.links ? [`Before your session:\n${letter.links.map((l) => `${l.label}: ${l.href}`).join('\n')}`] : []),
    'Knotwork',
  ].join('\n\n');
  const rows = letter.facts
    .map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(letter.opening)}</p>`,
    `<table cellpadding="4">${rows}</table>`,
    ...(letter.closing ? [`<p>${escapeHtml(letter.closing)}</p>`] : []),
    ...(letter.links
      ? [
          `<p>Before your session: ${letter.links.map((l) => `<a href="${escapeHtml(l.href)}">${escapeHtml(l.label)}</a>`).join(', ')}</p>`,
        ]
      : []),
    '<p>Knotwork</p>',
  ].join('\n');
  return { text, html };
}
