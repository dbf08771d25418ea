import { z } from 'zod';
import { displayNameMap } from '../accounts/accounts-reads.js';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { formatCalendarDate, localDateOf } from '../domain/session-time.js';
import { superbillDocument } from '../money/engine/superbill-document.js';
import { renderPdf } from '../money/receipt-pdf.js';
import { paidForBookings } from '../money/receipts.js';
import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { licencesOf } from '../therapists/therapists-reads.js';

const DAY = 86_400_000;
/** The day a year after `isoDate` (29 February: 1 March), as an epoch day: a superbill ends before it. */
function dayAYearAfter(isoDate: string): number {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return Math.floor(Date.UTC(year + 1, month - 1, day) / DAY);
}

const isoDate = z.iso.date().describe('A calendar date, YYYY-MM-DD');

/**
 * The superbill (issue 16): the sessions a client had in a date range, with each therapist's licence, the standard
 * codes and what was paid, as a PDF to claim against an HSA/FSA or insurance. It lives in booking because it reads
 * booking's sessions, therapists' licences and money's payments, and booking is above both; money's pure core writes
 * the document (money/engine/superbill-document.ts) and money renders it.
 */
export function registerSuperbillRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/me/superbill.pdf',
    {
      schema: {
        tags: ['money'],
        summary: 'A superbill for a date range (application/pdf), to claim against an HSA/FSA or insurance',
        description:
          'Your completed sessions whose date (where each took place) is from `from` to `to` inclusive, at most a year: each therapist with their licence number and region, each session with CPT 97124 and its units (one per 15 minutes), the place of service code (11 office, 12 home), and the amount paid by card (captured less refunded); a blank for the referral’s diagnosis codes. 422 `superbill_range_invalid` naming `to` when the range runs backwards or spans more than a year.',
        querystring: z.object({ from: isoDate, to: isoDate }).strict(),
        produces: ['application/pdf'],
        problems: ['unauthenticated', 'forbidden', 'superbill_range_invalid'],
        response: { 200: z.unknown().describe('The superbill (application/pdf)') },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'client');
      const { from, to } = request.query;
      const fromDay = epochDayFromIsoDate(from)!;
      const toDay = epochDayFromIsoDate(to)!;
      if (toDay < fromDay) {
        const message = 'Choose a last date on or after the first date';
        throw new ProblemError('superbill_range_invalid', message, {
          errors: [{ field: 'to', in: 'query', code: 'range_reversed', message }],
        });
      }
      if (toDay >= dayAYearAfter(from)) {
        const message = `A superbill covers at most a year: choose a last date before ${formatCalendarDate(
          new Date(dayAYearAfter(from) * DAY).toISOString().slice(0, 10),
          { year: 'numeric', month: 'long', day: 'numeric' },
        )}`;
        throw new ProblemError('superbill_range_invalid', message, {
          errors: [{ field: 'to', in: 'query', code: 'range_too_long', message }],
        });
      }
      // Local dates: a day either side in UTC covers every zone, then each session's own date decides.
      const sessions = (
        await db
          .selectFrom('bookings')
          .select(['id', 'therapist_id', 'starts_at', 'time_zone', 'duration_min', 'mode'])
          .where('client_id', '=', user.id)
          .where('status', '=', 'completed')
          .where('starts_at', '>=', new Date(Date.parse(`${from}T00:00:00Z`) - DAY))
          .where('starts_at', '<', new Date(Date.parse(`${to}T00:00:00Z`) + 2 * DAY))
          .orderBy('starts_at')
          .execute()
      )
        .map((b) => ({ ...b, date: localDateOf(b.starts_at, b.time_zone) }))
        .filter((b) => b.date >= from && b.date <= to);
      const therapistIds = [...new Set(sessions.map((s) => s.therapist_id))];
      const [paid, licences, names] = await Promise.all([
        paidForBookings(
          db,
          sessions.map((s) => s.id),
        ),
        licencesOf(db, therapistIds),
        displayNameMap(db, [user.id, ...therapistIds]),
      ]);
      const now = clock.now();
      const doc = superbillDocument({
        clientName: names.get(user.id) ?? 'Client',
        from,
        to,
        issuedAt: now,
        // Issued where the sessions took place (the latest one's zone).
        timeZone: sessions.at(-1)?.time_zone ?? 'UTC',
        providers: therapistIds.map((id) => ({
          therapistId: id,
          name: names.get(id) ?? 'Therapist',
          licenceNumber: licences.get(id)?.licenceNumber ?? null,
          licenceRegion: licences.get(id)?.licenceRegion ?? null,
        })),
        sessions: sessions.map((s) => ({
          therapistId: s.therapist_id,
          date: s.date,
          durationMin: s.duration_min,
          mode: s.mode,
          paidMinor: paid.get(s.id)?.paidMinor ?? 0,
          currency: paid.get(s.id)?.currency ?? 'USD',
        })),
      });
      const pdf = await renderPdf(doc);
      return reply
        .type('application/pdf')
        .header('cache-control', 'private, no-store')
        .header('content-disposition', `attachment; filename="knotwork-superbill-${from}-to-${to}.pdf"`)
        .send(pdf);
    },
  );
}
