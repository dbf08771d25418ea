import { formatCalendarDate, formatMoney, localDateOf } from '../../domain/session-time.js';
import type { DocumentBlock, PrintedDocument } from './printed-document.js';

/**
 * A superbill: the statement a client sends to an HSA/FSA administrator or an insurer to claim back what they paid
 * for massage therapy. Pure: the caller above money (booking/superbill-routes.ts) gathers the sessions, the
 * therapists' licences and what was paid, and hands them in.
 *
 * Codes, as claim forms (CMS-1500) expect them:
 * - Service: CPT® 97124, "Therapeutic procedure, 1 or more areas, each 15 minutes; massage, including effleurage,
 *   petrissage and/or tapotement (stroking, compression, percussion)" (AMA, Current Procedural Terminology). It is a
 *   timed code: one unit per 15 minutes, counted by the CMS midpoint ("8-minute") rule, so 60 minutes are 4 units.
 * - Place of service: CMS Place of Service Code Set, 11 "Office" (a studio) and 12 "Home" (the client's address).
 * - Diagnosis: ICD-10-CM codes come from the referring physician, not from us: the superbill leaves them blank.
 */

export const MASSAGE_CPT_CODE = '97124';
export const PLACE_OF_SERVICE = { studio: '11', home: '12' } as const;
export const PLACE_OF_SERVICE_WORDS = { studio: 'Office', home: 'Home' } as const;

/** CPT 97124 units for a session's minutes: one per full 15 minutes, plus one for a remainder of 8 minutes or more. */
export function cptUnits(durationMin: number): number {
  if (!Number.isInteger(durationMin) || durationMin < 8) return 0;
  return Math.floor((durationMin + 7) / 15);
}

export interface SuperbillProvider {
  therapistId: string;
  name: string;
  licenceNumber: string | null;
  licenceRegion: string | null;
}

export interface SuperbillSession {
  therapistId: string;
  /** The session's calendar date where it took place ("2026-11-24"). */
  date: string;
  durationMin: number;
  mode: 'studio' | 'home';
  /** Captured minus refunded for the session, in the currency below; 0 when nothing was paid by card. */
  paidMinor: number;
  currency: string;
}

export interface SuperbillInput {
  clientName: string;
  from: string;
  to: string;
  issuedAt: number;
  /** The zone the issue date is written in (where the sessions took place). */
  timeZone: string;
  providers: SuperbillProvider[];
  sessions: SuperbillSession[];
}

const longDate = (iso: string) => formatCalendarDate(iso, { year: 'numeric', month: 'long', day: 'numeric' });
const shortDate = (iso: string) => formatCalendarDate(iso, { year: 'numeric', month: '2-digit', day: '2-digit' });

/** Sums per currency, in the order the currencies first appear ("$360.00" or "$240.00 + CA$90.00"). */
function totalWords(sessions: SuperbillSession[]): string {
  const totals = new Map<string, number>();
  for (const s of sessions) totals.set(s.currency, (totals.get(s.currency) ?? 0) + s.paidMinor);
  if (totals.size === 0) return formatMoney(0, 'USD');
  return [...totals].map(([currency, minor]) => formatMoney(minor, currency)).join(' + ');
}

export function superbillDocument(input: SuperbillInput): PrintedDocument {
  const blocks: DocumentBlock[] = [
    {
      kind: 'fields',
      rows: [
        ['Patient', input.clientName],
        ['Dates of service', `${longDate(input.from)} to ${longDate(input.to)}`],
        ['Issued', longDate(localDateOf(input.issuedAt, input.timeZone))],
      ],
    },
  ];
  const sessions = [...input.sessions].sort((a, b) => a.date.localeCompare(b.date));
  if (sessions.length === 0) {
    blocks.push({ kind: 'paragraph', text: 'No massage therapy sessions took place in these dates.' });
  }
  for (const provider of input.providers) {
    const own = sessions.filter((s) => s.therapistId === provider.therapistId);
    if (own.length === 0) continue;
    blocks.push({ kind: 'heading', text: `Provider: ${provider.name}` });
    blocks.push({
      kind: 'fields',
      rows: [
        ['Licensed massage therapist', provider.name],
        ['Licence number', provider.licenceNumber ?? 'Not on file'],
        ['Licensing region', provider.licenceRegion ?? 'Not on file'],
      ],
    });
    blocks.push({
      kind: 'table',
      columns: [
        { header: 'Date', width: 0.16, align: 'left' },
        { header: 'Service', width: 0.3, align: 'left' },
        { header: 'CPT', width: 0.1, align: 'left' },
        { header: 'Units', width: 0.09, align: 'right' },
        { header: 'Place', width: 0.15, align: 'left' },
        { header: 'Paid', width: 0.2, align: 'right' },
      ],
      rows: own.map((s) => [
        shortDate(s.date),
        `Massage therapy, ${s.durationMin} min`,
        MASSAGE_CPT_CODE,
        String(cptUnits(s.durationMin)),
        `${PLACE_OF_SERVICE[s.mode]} ${PLACE_OF_SERVICE_WORDS[s.mode]}`,
        formatMoney(s.paidMinor, s.currency),
      ]),
      total: ['Total paid', '', '', '', '', totalWords(own)],
    });
    blocks.push({
      kind: 'paragraph',
      text: `Provider's statement: I, ${provider.name}, certify that I provided the massage therapy services listed above on the dates shown, and that the patient paid the amounts shown.`,
    });
  }
  blocks.push({ kind: 'blank', label: 'Diagnosis codes (ICD-10-CM), from the referring physician', lines: 2 });
  blocks.push({
    kind: 'paragraph',
    text: 'This superbill lists sessions the patient paid for; it is not a claim. Send it with a referral or letter of medical necessity to your HSA/FSA administrator or insurer.',
  });
  return {
    title: 'Superbill: massage therapy',
    subject: `Superbill for ${input.clientName}, ${input.from} to ${input.to}`,
    author: 'Knotwork',
    issuedAt: input.issuedAt,
    blocks,
  };
}
