import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { type TipSession, giveTip, tipView, withdrawTip } from '../money/tip-service.js';
import type { DB } from '../schema.js';
import type { Kysely, Transaction } from 'kysely';
import { type BookingRow, findBooking, lastMovedInto, lockBooking } from './booking-reads.js';

/**
 * The tip of a session, asked of money with the booking's facts (money sits below booking and knows no booking).
 * Only the booking's client sees or gives it; anybody else is told there is no such booking.
 */

const idParams = z.object({ id: z.uuid() }).strict();

const tipBody = z
  .object({
    percent: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('A preset percentage of the session price: 15, 20 or 25'),
    amountMinor: z
      .number()
      .int()
      .min(1)
      .max(100_000_000)
      .optional()
      .describe('Or an amount of your own, in cents: at least 1 and at most the session price'),
    paymentMethodId: z
      .uuid()
      .optional()
      .describe('The saved card to charge; default: the card the session was paid with, else your newest card'),
  })
  .strict()
  .meta({ examples: [{ percent: 20 }, { amountMinor: 1500 }] });

const tipViewSchema = z
  .object({
    state: z
      .enum(['not_yet', 'open', 'given', 'closed'])
      .describe('not_yet before check-out; open for 72 hours after; given once tipped; closed after that'),
    closesAt: z.iso.datetime().nullable(),
    presets: z.array(z.object({ percent: z.number(), amountMinor: z.number() })),
    currency: z.string(),
    tip: z
      .object({
        amountMinor: z.number(),
        percent: z.number().nullable(),
        status: z.enum(['pending', 'charged', 'failed']),
        editableUntil: z.iso.datetime().describe('Until then the tip can be changed or withdrawn; it is charged then'),
        failureMessage: z.string().nullable(),
        card: z.object({ brand: z.string(), last4: z.string() }),
      })
      .nullable(),
  })
  .meta({ id: 'SessionTip' });

async function sessionOf(
  db: Kysely<DB> | Transaction<DB>,
  user: SignedInUser,
  booking: BookingRow | undefined,
): Promise<TipSession> {
  if (!booking || booking.client_id !== user.id) throw new ProblemError('not_found', 'No such booking');
  const completed = booking.status === 'completed' ? await lastMovedInto(db, booking.id, 'completed') : undefined;
  return {
    bookingId: booking.id,
    clientId: booking.client_id,
    therapistId: booking.therapist_id,
    market: booking.market,
    currency: booking.currency,
    priceMinor: booking.price_cents,
    status: booking.status,
    completedAt: completed ? completed.getTime() : null,
  };
}

export function registerTipRoutes(app: App, ctx: AppContext) {
  const { db, clock } = ctx;

  app.get(
    '/api/bookings/:id/tip',
    {
      schema: {
        tags: ['tips'],
        summary: 'Whether you can tip for this session, the preset amounts, and your tip',
        description:
          'For the booking’s client. Tips open at check-out and close 72 hours later; one tip per session, wholly the therapist’s.',
        params: idParams,
        problems: ['unauthenticated', 'not_found'],
        response: { 200: tipViewSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const session = await sessionOf(db, user, await findBooking(db, request.params.id));
      return tipView(db, session, clock.now());
    },
  );

  app.put(
    '/api/bookings/:id/tip',
    {
      schema: {
        tags: ['tips'],
        summary: 'Tip your therapist for this session, or change your tip',
        description:
          'Give `percent` (15, 20 or 25 of the session price) or `amountMinor` (from 1 cent to the session price). The tip is charged 15 minutes after it is first given, to `paymentMethodId` or by default the card the session was paid with (else your newest card); until then you can change or withdraw it. 409 session_not_taken_place before check-out, tip_window_closed after 72 hours, tip_not_editable once charged or being charged; 422 payment_method_required when you have no card; 404 naming paymentMethodId for a card that is not yours.',
        params: idParams,
        body: tipBody,
        problems: [
          'unauthenticated',
          'not_found',
          'validation_failed',
          'session_not_taken_place',
          'tip_window_closed',
          'tip_not_editable',
          'payment_method_required',
        ],
        response: { 200: tipViewSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const { percent, amountMinor, paymentMethodId } = request.body;
      if ((percent === undefined) === (amountMinor === undefined)) {
        throw fieldProblem(
          percent === undefined ? 'amountMinor' : 'percent',
          'choose_one',
          'Choose a percentage or type an amount (one of the two)',
        );
      }
      const choice = percent !== undefined ? { percent } : { amountMinor: amountMinor! };
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const session = await sessionOf(trx, user, await lockBooking(trx, request.params.id));
        return giveTip(trx, session, { choice, ...(paymentMethodId ? { paymentMethodId } : {}) }, now);
      });
    },
  );

  app.delete(
    '/api/bookings/:id/tip',
    {
      schema: {
        tags: ['tips'],
        summary: 'Withdraw your tip while it can still change',
        description:
          'Within 15 minutes of giving it, before it is charged; you may tip again while tips are open. 409 tip_not_editable after that.',
        params: idParams,
        problems: ['unauthenticated', 'not_found', 'tip_not_editable'],
        response: { 200: tipViewSchema },
      },
    },
    async (request) => {
      const user = requireUser(request);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const session = await sessionOf(trx, user, await lockBooking(trx, request.params.id));
        await withdrawTip(trx, session, now);
        return tipView(trx, session, now);
      });
    },
  );
}
