/**
 * A small iCalendar (RFC 5545) writer: CRLF lines folded at 75 octets without splitting a character, TEXT values
 * escaped, instants written in UTC. It covers exactly what Knotwork publishes (single, non-recurring events), so
 * it needs no VTIMEZONE: a UTC DATE-TIME names the same instant in every calendar, and each calendar shows it in
 * its user's zone.
 */

export interface IcsEvent {
  uid: string;
  /** Increments whenever the event changes (RFC 5545 3.8.7.4), so calendars replace older copies. */
  sequence: number;
  /** DTSTAMP: when this copy was made (with METHOD) or last revised (in a feed). */
  stamp: number;
  created: number;
  lastModified: number;
  start: number;
  end: number;
  /** TENTATIVE: the time is kept but the session is not confirmed yet (awaiting a clearance). */
  status: 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';
  summary: string;
  location: string;
  description: string;
}

export interface IcsCalendar {
  /** PUBLISH for a file attached to a message; omitted for a subscribed feed. */
  method?: 'PUBLISH';
  /** Shown by calendar apps as the subscription's name. */
  name?: string;
  /** How often a subscribed feed should be fetched again. */
  refreshMinutes?: number;
  events: IcsEvent[];
}

const PRODUCT_ID = '-//Knotwork//Sessions//EN';
const MAX_LINE_OCTETS = 75;

/** 20261124T150000Z */
export function formatUtc(instantMs: number): string {
  return new Date(Math.floor(instantMs / 1000) * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * TEXT value escaping (RFC 5545 3.3.11). Control characters other than tab are not allowed in TEXT: line breaks
 * become the \n escape and the rest are dropped.
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/\r\n?/g, '\n')
      // eslint-disable-next-line no-control-regex -- removes the control characters iCalendar text may not carry (RFC 5545 3.3.11)
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/\\/g, '\\\\')
      .replace(/;/g, '\\;')
      .replace(/,/g, '\\,')
      .replace(/\n/g, '\\n')
  );
}

/** Folds a content line into pieces of at most 75 octets; each continuation starts with one space. */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const pieces: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines carry a leading space, which counts towards their 75 octets.
    const limit = pieces.length === 0 ? MAX_LINE_OCTETS : MAX_LINE_OCTETS - 1;
    if (octets + size > limit) {
      pieces.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  pieces.push(current);
  return pieces.join('\r\n ');
}

function eventLines(event: IcsEvent): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${formatUtc(event.stamp)}`,
    `CREATED:${formatUtc(event.created)}`,
    `LAST-MODIFIED:${formatUtc(event.lastModified)}`,
    `DTSTART:${formatUtc(event.start)}`,
    `DTEND:${formatUtc(event.end)}`,
    `STATUS:${event.status}`,
    // A cancelled session no longer makes its time busy; a tentative one does (its slot is kept).
    `TRANSP:${event.status === 'CANCELLED' ? 'TRANSPARENT' : 'OPAQUE'}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `LOCATION:${escapeText(event.location)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    'END:VEVENT',
  ];
}

export function writeCalendar(calendar: IcsCalendar): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', `PRODID:${PRODUCT_ID}`, 'CALSCALE:GREGORIAN'];
  if (calendar.method) lines.push(`METHOD:${calendar.method}`);
  if (calendar.name) lines.push(`NAME:${escapeText(calendar.name)}`, `X-WR-CALNAME:${escapeText(calendar.name)}`);
  if (calendar.refreshMinutes) {
    // RFC 7986 REFRESH-INTERVAL, and the older name most clients still read.
    lines.push(
      `REFRESH-INTERVAL;VALUE=DURATION:PT${calendar.refreshMinutes}M`,
      `X-PUBLISHED-TTL:PT${calendar.refreshMinutes}M`,
    );
  }
  for (const event of calendar.events) lines.push(...eventLines(event));
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
