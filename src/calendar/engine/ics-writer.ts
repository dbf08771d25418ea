/**
 * Knotwork's iCalendar (RFC 5545) files, written with ical-generator: CRLF lines folded at 75 octets without
 * splitting a character, TEXT values escaped, instants written in UTC. Knotwork publishes single, non-recurring
 * events, so it needs no VTIMEZONE: a UTC DATE-TIME names the same instant in every calendar, and each calendar
 * shows it in its user's zone.
 */
import ical, { ICalCalendarMethod, ICalEventStatus, ICalEventTransparency } from 'ical-generator';

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
  /** Shown by calendar apps as the subscription's name (NAME and X-WR-CALNAME). */
  name?: string;
  /** How often a subscribed feed should be fetched again (REFRESH-INTERVAL and X-PUBLISHED-TTL). */
  refreshMinutes?: number;
  events: IcsEvent[];
}

/**
 * TEXT may not carry control characters other than tab (RFC 5545 3.3.11): line breaks stay (they are written as
 * the \n escape), the rest are dropped.
 */
function plainText(value: string): string {
  // eslint-disable-next-line no-control-regex -- removes the control characters iCalendar text may not carry (RFC 5545 3.3.11)
  return value.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

/** Whole seconds: iCalendar DATE-TIME has no fractions. */
const atSecond = (instantMs: number) => new Date(Math.floor(instantMs / 1000) * 1000);

const STATUS: Record<IcsEvent['status'], ICalEventStatus> = {
  CONFIRMED: ICalEventStatus.CONFIRMED,
  TENTATIVE: ICalEventStatus.TENTATIVE,
  CANCELLED: ICalEventStatus.CANCELLED,
};

export function writeCalendar(calendar: IcsCalendar): string {
  const file = ical({
    prodId: { company: 'Knotwork', product: 'Sessions', language: 'EN' },
    scale: 'GREGORIAN',
    ...(calendar.method ? { method: ICalCalendarMethod.PUBLISH } : {}),
    ...(calendar.name ? { name: plainText(calendar.name) } : {}),
    ...(calendar.refreshMinutes ? { ttl: calendar.refreshMinutes * 60 } : {}),
  });
  for (const event of calendar.events) {
    file.createEvent({
      id: plainText(event.uid),
      sequence: event.sequence,
      stamp: atSecond(event.stamp),
      created: atSecond(event.created),
      lastModified: atSecond(event.lastModified),
      start: atSecond(event.start),
      end: atSecond(event.end),
      status: STATUS[event.status],
      // A cancelled session no longer makes its time busy; a tentative one does (its slot is kept).
      transparency: event.status === 'CANCELLED' ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      summary: plainText(event.summary),
      location: plainText(event.location),
      description: plainText(event.description),
    });
  }
  return `${file.toString()}\r\n`;
}
