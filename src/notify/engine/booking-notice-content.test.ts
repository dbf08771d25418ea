import ical from 'node-ical';
import { describe, expect, it } from 'vitest';
import type { SessionFacts } from '../../calendar/engine/session-facts.js';
import { bookingNoticeMessages } from './booking-notice-content.js';

const session = (overrides: Partial<SessionFacts> = {}): SessionFacts => ({
  bookingId: '5b1c0c52-6a51-4a3e-9a57-6f1f4f1f0001',
  status: 'confirmed',
  // Friday 3 July 2026, 09:30 in London (BST, UTC+1).
  startsAt: Date.parse('2026-07-03T08:30:00Z'),
  endsAt: Date.parse('2026-07-03T10:00:00Z'),
  zone: 'Europe/London',
  durationMin: 90,
  mode: 'home',
  studioName: null,
  address: '12 Example Road, London',
  therapist: { id: 'therapist-id', name: 'Sam <Lee>', zone: 'Europe/London' },
  client: { id: 'client-id', name: 'Alex & Co' },
  priceCents: 9000,
  currency: 'GBP',
  policy: { freeUntilHoursBefore: 48, lateFeePercent: 100, graceMinutes: 0 },
  cancellationFeeCents: null,
  clearanceDueAt: null,
  revision: 1,
  createdAt: Date.parse('2026-06-01T10:00:00Z'),
  updatedAt: Date.parse('2026-06-01T10:05:00Z'),
  ...overrides,
});

const NOW = Date.parse('2026-06-01T10:05:00Z');

describe('booking notices', () => {
  it('write one message per person, keyed so a re-run never writes it twice', () => {
    const messages = bookingNoticeMessages({ kind: 'confirmed', session: session() }, NOW);
    expect(messages.map((m) => [m.userId, m.kind, m.dedupeKey])).toEqual([
      ['client-id', 'booking.confirmed', 'booking.confirmed:5b1c0c52-6a51-4a3e-9a57-6f1f4f1f0001:client'],
      ['therapist-id', 'booking.confirmed', 'booking.confirmed:5b1c0c52-6a51-4a3e-9a57-6f1f4f1f0001:therapist'],
    ]);
  });

  it('name the local time and its zone as it is on the day (British Summer Time in July)', () => {
    const [toClient] = bookingNoticeMessages({ kind: 'reminder', session: session() }, NOW);
    expect(toClient!.subject).toBe('Reminder: Fri, Jul 3, 9:30 AM GMT+1 with Sam <Lee>');
    expect(toClient!.text).toContain('When: Friday, July 3, 2026, 9:30–11:00 AM British Summer Time');
    expect(toClient!.text).toContain('Where: Home visit: 12 Example Road, London');
    expect(toClient!.text).toContain('Free cancellation until: Wednesday, July 1, 2026, 9:30 AM British Summer Time');
    expect(toClient!.text).toContain('after that the fee is 100% (£90)');
    expect(toClient!.attachments).toEqual([]);
  });

  it("give a session the time of its place, not of the therapist's profile zone", () => {
    // 9:30 AM at a New York studio, with a therapist whose profile zone is Los Angeles.
    const newYork = session({
      startsAt: Date.parse('2026-11-24T14:30:00Z'),
      endsAt: Date.parse('2026-11-24T15:30:00Z'),
      zone: 'America/New_York',
      mode: 'studio',
      studioName: 'Union Square Studio',
      therapist: { id: 'therapist-id', name: 'Sam Lee', zone: 'America/Los_Angeles' },
    });
    for (const message of bookingNoticeMessages({ kind: 'confirmed', session: newYork }, NOW)) {
      expect(message.subject).toContain('Tue, Nov 24, 9:30 AM EST');
      expect(message.text).toContain('When: Tuesday, November 24, 2026, 9:30–10:30 AM Eastern Standard Time');
      expect(message.html).toContain('Tuesday, November 24, 2026, 9:30–10:30 AM Eastern Standard Time');
      for (const body of [message.subject, message.text, message.html]) {
        expect(body).not.toMatch(/6:30|06:30|Pacific/);
      }
      const [event] = Object.values(ical.sync.parseICS(message.attachments![0]!.content)).filter(
        (c): c is ical.VEvent => c?.type === 'VEVENT',
      );
      expect(event!.start.toISOString()).toBe('2026-11-24T14:30:00.000Z');
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- node-ical gives this event's description as a string
      expect(String(event!.description)).toContain('9:30–10:30 AM Eastern Standard Time');
    }
  });

  it('escape names in the HTML body and keep them verbatim in the text body', () => {
    const [toClient, toTherapist] = bookingNoticeMessages({ kind: 'confirmed', session: session() }, NOW);
    expect(toClient!.html).toContain('Sam &lt;Lee&gt;');
    expect(toClient!.html).not.toContain('<Lee>');
    expect(toTherapist!.html).toContain('Hi Sam &lt;Lee&gt;,');
    expect(toTherapist!.text).toContain('Alex & Co booked a 90-minute deep tissue session with you.');
  });

  it('leave out the cut-off when cancelling is always free', () => {
    const [toClient] = bookingNoticeMessages(
      {
        kind: 'confirmed',
        session: session({ policy: { freeUntilHoursBefore: 24, lateFeePercent: 0, graceMinutes: 10 } }),
      },
      NOW,
    );
    expect(toClient!.text).toContain('Cancellation terms: Free cancellation at any time.');
    expect(toClient!.text).not.toContain('Free cancellation until:');
  });

  it('say who cancelled, and attach the entry as cancelled with a higher SEQUENCE', () => {
    const cancelled = session({ status: 'cancelled', revision: 2 });
    const [toClient, toTherapist] = bookingNoticeMessages(
      { kind: 'cancelled', session: cancelled, by: 'operator' },
      NOW,
    );
    expect(toClient!.text).toContain('Knotwork cancelled the 90-minute session on Fri, Jul 3, 9:30 AM GMT+1.');
    expect(toTherapist!.text).toContain('Knotwork cancelled');
    const attachment = toClient!.attachments![0]!;
    expect(attachment.contentType).toBe('text/calendar; charset=utf-8; method=PUBLISH');
    const [event] = Object.values(ical.sync.parseICS(attachment.content)).filter(
      (c): c is ical.VEvent => c?.type === 'VEVENT',
    );
    expect(event!.status).toBe('CANCELLED');
    expect(Number(event!.sequence)).toBe(2);
    expect(event!.start.toISOString()).toBe('2026-07-03T08:30:00.000Z');
  });
});
