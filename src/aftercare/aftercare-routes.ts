import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { SignedInUser } from '../accounts/sessions.js';
import type { DB } from '../schema.js';
import { requireUser } from '../accounts/request-user.js';
import { canSeeBooking } from '../booking/booking-view.js';
import { AFTERCARE_SECTION_IDS, type AftercarePlan, aftercarePlanSchema } from '../care/engine/aftercare-plan.js';
import { EXERCISES } from '../care/engine/exercise-catalogue.js';
import { exerciseItem } from '../care/engine/home-programme.js';
import { regionIdsInWords } from '../domain/region-label.js';
import type { App, AppContext } from '../app-context.js';
import { type FieldError, ProblemError } from '../domain/problems.js';
import { authorizeBookingHealthRead, authorizeHealthRead } from '../intake/health-access.js';
import { type StoredAftercare, loadAftercare, saveAftercareDraft, sendAftercare } from './aftercare-store.js';
import { bookingFacts, loadBookingFacts } from '../booking/booking-reads.js';
import { GUIDE_SLUGS } from '../domain/guide-links.js';
import { aftercareGuides } from './aftercare-guides.js';
import { userNames } from '../accounts/accounts-reads.js';

const idParams = z.object({ id: z.uuid() }).strict();

export const aftercareSchema = z
  .object({
    bookingId: z.uuid(),
    status: z.enum(['draft', 'sent']),
    plan: aftercarePlanSchema,
    omitted: z
      .array(
        z.object({
          exerciseId: z.string(),
          name: z.string(),
          condition: z.string(),
          why: z.string(),
          sources: z.array(z.string()),
        }),
      )
      .describe('For the therapist: exercises the client’s conditions ruled out, and why; empty for the client'),
    conditions: z
      .array(z.string())
      .describe('For the therapist: the conditions the plan was written for; empty for the client'),
    edited: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
    sentBy: z.object({ id: z.uuid(), displayName: z.string() }).nullable(),
    guides: z
      .array(z.object({ slug: z.enum(GUIDE_SLUGS), title: z.string(), path: z.string() }))
      .describe('The public guides for the regions worked (soreness after massage always), to read after the session'),
  })
  .meta({ id: 'Aftercare' });

export type AftercareView = z.infer<typeof aftercareSchema>;

export const exerciseCatalogueSchema = z
  .object({
    exercises: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        kind: z.enum(['stretch', 'foam_roll', 'strengthen']),
        section: z.enum(AFTERCARE_SECTION_IDS),
        serves: z.string().describe('The regions it serves, in words'),
        item: aftercarePlanSchema.shape.sections.element.shape.items.element,
      }),
    ),
  })
  .meta({ id: 'ExerciseCatalogue' });

const SECTION_OF_KIND = { stretch: 'stretches', foam_roll: 'foam_rolling', strengthen: 'strengthening' } as const;

function toView(stored: StoredAftercare, forClient: boolean): AftercareView {
  return {
    bookingId: stored.bookingId,
    status: stored.status,
    plan: stored.plan,
    omitted: forClient ? [] : stored.omitted.map((o) => ({ ...o, sources: [...o.sources] })),
    conditions: forClient ? [] : stored.conditions.map((c) => c.code),
    edited: stored.edited,
    createdAt: stored.createdAt.toISOString(),
    updatedAt: stored.updatedAt.toISOString(),
    sentAt: stored.sentAt?.toISOString() ?? null,
    sentBy: stored.sentBy,
    guides: aftercareGuides(stored.plan, stored.omitted, stored.regionsWorked),
  };
}

/** What a schema cannot say: each section once, each item once, and something to send. */
export function aftercarePlanProblems(plan: AftercarePlan): FieldError[] {
  const problems: FieldError[] = [];
  const sections = new Set<string>();
  const items = new Set<string>();
  plan.sections.forEach((section, s) => {
    if (sections.has(section.id))
      problems.push({
        field: `plan.sections.${s}.id`,
        in: 'body',
        code: 'duplicate',
        message: `The section ${section.id} is there twice`,
      });
    sections.add(section.id);
    section.items.forEach((item, i) => {
      if (items.has(item.id))
        problems.push({
          field: `plan.sections.${s}.items.${i}.id`,
          in: 'body',
          code: 'duplicate',
          message: `The item ${item.id} is there twice`,
        });
      items.add(item.id);
    });
  });
  if (items.size === 0)
    problems.push({
      field: 'plan.sections',
      in: 'body',
      code: 'required',
      message: 'Aftercare needs at least one item',
    });
  return problems;
}

/** The booking's aftercare, row-locked, for its therapist to change; a sent one is 409. */
async function draftToChange(trx: Transaction<DB>, user: SignedInUser, bookingId: string) {
  const booking = await loadBookingFacts(trx, bookingId);
  if (!booking || !canSeeBooking(user, booking)) throw new ProblemError('not_found', 'No such booking');
  if (booking.therapist_id !== user.id)
    throw new ProblemError('forbidden', 'Only the booked therapist edits and sends the aftercare');
  const stored = await loadAftercare(trx, bookingId, { forUpdate: true });
  if (!stored)
    throw new ProblemError('not_found', 'There is no aftercare yet: it is drafted when the session note is signed');
  if (stored.status === 'sent')
    throw new ProblemError('aftercare_sent', 'This aftercare has been sent; what the client received stays as it is');
  return stored;
}

export function registerAftercareRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;

  app.get(
    '/api/bookings/:id/aftercare',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'The aftercare of a session: the draft for its therapist, what was sent for everyone who may read it',
        description:
          'Drafted when the note is signed, from what was done and the client’s conditions. The booked therapist and operators see the draft with the exercises left out and why; the client sees it once sent (404 before). Every read is recorded in the client’s access log.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found'],
        response: { 200: aftercareSchema },
      },
    },
    async (request) =>
      db.transaction().execute(async (trx) => {
        const booking = await authorizeBookingHealthRead(
          trx,
          request.user,
          request.params.id,
          'aftercare',
          clock.now(),
        );
        const stored = await loadAftercare(trx, booking.id);
        const forClient = request.user!.id === booking.client_id;
        if (!stored || (forClient && stored.status !== 'sent'))
          throw new ProblemError('not_found', 'There is no aftercare for this session yet');
        return toView(stored, forClient);
      }),
  );

  app.put(
    '/api/bookings/:id/aftercare',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'Edit the aftercare before sending it',
        description:
          'For the booked therapist: the whole plan as it should read (items changed, removed or added from the exercise catalogue). 409 aftercare_sent once sent; 422 aftercare_plan_invalid for a section or item twice, or nothing left to send.',
        params: idParams,
        body: z.object({ plan: aftercarePlanSchema }).strict(),
        problems: ['unauthenticated', 'forbidden', 'not_found', 'aftercare_sent', 'aftercare_plan_invalid'],
        response: { 200: aftercareSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const stored = await draftToChange(trx, user, request.params.id);
        const problems = aftercarePlanProblems(request.body.plan);
        if (problems.length > 0)
          throw new ProblemError('aftercare_plan_invalid', problems.map((p) => p.message).join('; '), {
            errors: problems,
          });
        await saveAftercareDraft(trx, stored.id, request.body.plan, now);
        return toView((await loadAftercare(trx, stored.bookingId))!, false);
      });
    },
  );

  app.post(
    '/api/bookings/:id/aftercare/send',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'Send the aftercare to the client',
        description:
          'For the booked therapist. The client receives it by e-mail (text and HTML) and in the app; what was sent is kept unchanged (the database refuses changes). 409 aftercare_sent the second time.',
        params: idParams,
        problems: ['unauthenticated', 'forbidden', 'not_found', 'aftercare_sent', 'aftercare_plan_invalid'],
        response: { 200: aftercareSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const now = clock.now();
      const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
      return db.transaction().execute(async (trx) => {
        const stored = await draftToChange(trx, user, request.params.id);
        const problems = aftercarePlanProblems(stored.plan);
        if (problems.length > 0)
          throw new ProblemError('aftercare_plan_invalid', problems.map((p) => p.message).join('; '), {
            errors: problems,
          });
        const guides = aftercareGuides(stored.plan, stored.omitted, stored.regionsWorked).map((g) => ({
          label: g.title,
          href: `${base}${g.path}`,
        }));
        await sendAftercare(trx, stored, user, `${base}/bookings/${stored.bookingId}/aftercare`, now, guides);
        return toView((await loadAftercare(trx, stored.bookingId))!, false);
      });
    },
  );

  app.get(
    '/api/me/aftercare',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'The aftercare the signed-in client has received, newest first',
        problems: ['unauthenticated', 'forbidden'],
        response: {
          200: z.object({
            items: z.array(
              z.object({
                bookingId: z.uuid(),
                sentAt: z.iso.datetime(),
                therapistName: z.string(),
                sessionStartsAt: z.iso.datetime(),
                sessionTimeZone: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const user = requireUser(request, 'client');
      return db.transaction().execute(async (trx) => {
        await authorizeHealthRead(
          trx,
          user,
          { clientId: user.id, record: 'aftercare', subjectId: user.id, detail: { list: true } },
          clock.now(),
        );
        const rows = await trx
          .selectFrom('aftercare_plans as a')
          .innerJoin(bookingFacts(trx).as('b'), 'b.id', 'a.booking_id')
          .innerJoin(userNames(trx).as('t'), 't.id', 'a.therapist_id')
          .select(['a.booking_id', 'a.sent_at', 't.display_name', 'b.starts_at', 'b.time_zone'])
          .where('a.client_id', '=', user.id)
          .where('a.status', '=', 'sent')
          .orderBy('a.sent_at', 'desc')
          .limit(100)
          .execute();
        return {
          items: rows.map((r) => ({
            bookingId: r.booking_id,
            sentAt: r.sent_at!.toISOString(),
            therapistName: r.display_name,
            sessionStartsAt: r.starts_at.toISOString(),
            sessionTimeZone: r.time_zone,
          })),
        };
      });
    },
  );

  app.get(
    '/api/aftercare/exercises',
    {
      schema: {
        tags: ['aftercare'],
        summary: 'The home-programme exercises a therapist can add to aftercare, as ready-made items',
        problems: ['unauthenticated', 'forbidden'],
        response: { 200: exerciseCatalogueSchema },
      },
    },
    async (request) => {
      requireUser(request, 'therapist', 'operator');
      return {
        exercises: EXERCISES.map((e) => ({
          id: e.id,
          name: e.name,
          kind: e.kind,
          section: SECTION_OF_KIND[e.kind],
          serves: regionIdsInWords(e.serves),
          item: exerciseItem(
            e,
            e.kind === 'strengthen'
              ? `Strengthening the ${e.strengthens ?? 'muscles'} supports the work done in the session.`
              : `Added by your therapist, for ${regionIdsInWords(e.serves)}.`,
          ),
        })),
      };
    },
  );
}
