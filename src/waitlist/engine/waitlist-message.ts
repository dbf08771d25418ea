import { escapeHtml } from '../../domain/escape-html.js';
import { formatInstant } from '../../domain/session-time.js';
import type { OutgoingMessage } from '../../notify/engine/outgoing-message.js';
import type { WaitlistOffer } from './waitlist-window.js';

export interface OfferNotice {
  clientId: string;
  entryId: string;
  offer: WaitlistOffer;
  durationMin: number;
  /** 1 for the first client told of these times. */
  placeInLine: number;
  sendAt: number;
}

/**
 * The e-mail (and inbox message) telling a waiting client that times opened: the therapist, the place, the starts in
 * the place's zone (named), their place in line, and that the first to claim gets the time. No health data. Given
 * up once the first start has passed.
 */
export function waitlistOfferMessage(notice: OfferNotice): OutgoingMessage {
  const { offer } = notice;
  const where = offer.place.mode === 'studio' ? `at ${offer.place.name}` : 'at your home';
  const times = offer.starts.map((start) => formatInstant(start, offer.timeZone, { style: 'long' }));
  const line =
    notice.placeInLine === 1
      ? 'You are first in line for these times.'
      : `You are number ${notice.placeInLine} in line: clients who joined before you were told first.`;
  const subject = `A time opened with ${offer.therapistName}`;
  const text = [
    `A ${notice.durationMin}-minute session you are waiting for is free with ${offer.therapistName} ${where}:`,
    '',
    ...times.map((t) => `- ${t}`),
    '',
    line,
    'The first client to claim a time gets it, held for you to confirm. Open My waitlist in Knotwork to claim one.',
  ].join('\n');
  const html = [
    `<p>A ${notice.durationMin}-minute session you are waiting for is free with ${escapeHtml(offer.therapistName)} ${escapeHtml(where)}:</p>`,
    `<ul>${times.map((t) => `<li>${escapeHtml(t)}</li>`).join('')}</ul>`,
    `<p>${escapeHtml(line)}</p>`,
    '<p>The first client to claim a time gets it, held for you to confirm. Open My waitlist in Knotwork to claim one.</p>',
  ].join('\n');
  return {
    userId: notice.clientId,
    kind: 'waitlist.offer',
    subject,
    text,
    html,
    dedupeKey: `waitlist.offer:${notice.entryId}:${offer.therapistId}:${offer.starts.join(',')}`,
    sendAt: notice.sendAt,
    sendBefore: offer.starts[0]!,
  };
}
