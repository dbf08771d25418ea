import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import { MAX_PHOTO_BYTES, reencodePhoto } from './therapist-photo.js';
import { loadTherapistProfile, therapistProfileSchema, visibleProfile } from './therapist-profile.js';
import { todayIn } from './today.js';

const photoBody = z
  .object({
    contentBase64: z
      .string()
      .min(4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'Send the photo as standard base64')
      .describe(`The photo, base64-encoded: JPEG, PNG, WebP or AVIF of at most ${MAX_PHOTO_BYTES / 1024 / 1024} MB`),
  })
  .strict();

const idParams = z.object({ id: z.uuid() }).strict();
const photoQuery = z
  .object({
    v: z
      .string()
      .regex(/^\d{1,9}$/, 'A version number')
      .optional(),
  })
  .strict();

/** A year: a photo's address names its version, so the bytes behind one address never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The therapist's profile photo: uploaded (re-encoded by the server), removed, and served with cache headers. */
export function registerTherapistPhotoRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;
  const today = () => todayIn('UTC', clock.now());

  app.put(
    '/api/therapists/me/photo',
    {
      bodyLimit: Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 64 * 1024,
      schema: {
        tags: ['therapists'],
        summary: 'Upload your profile photo (JPEG, PNG, WebP or AVIF, at most 8 MB)',
        description:
          'The type is judged from the content (415 unsupported_image_type otherwise); larger files are refused with 413. The server keeps a re-encoded copy: upright, at most 800 px a side, WebP, with every piece of metadata (EXIF, GPS position) removed.',
        body: photoBody,
        problems: ['unauthenticated', 'forbidden', 'profile_incomplete', 'unsupported_image_type'],
        response: { 200: therapistProfileSchema },
      },
    },
    async (request) => {
      const user = requireUser(request, 'therapist');
      const photo = await reencodePhoto(Buffer.from(request.body.contentBase64, 'base64'));
      const now = new Date(clock.now());
      await db.transaction().execute(async (trx) => {
        const therapist = await trx
          .selectFrom('therapists')
          .select('user_id')
          .where('user_id', '=', user.id)
          .forUpdate()
          .executeTakeFirst();
        if (!therapist)
          throw new ProblemError('profile_incomplete', 'Create your therapist profile first (PUT /api/therapists/me)');
        await trx
          .insertInto('therapist_photos')
          .values({ therapist_id: user.id, ...photo, version: 1, updated_at: now })
          .onConflict((oc) =>
            oc.column('therapist_id').doUpdateSet((eb) => ({
              webp: eb.ref('excluded.webp'),
              width: eb.ref('excluded.width'),
              height: eb.ref('excluded.height'),
              version: eb('therapist_photos.version', '+', 1),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      });
      return (await loadTherapistProfile(db, user.id, config.graceMinutes, today()))!;
    },
  );

  app.delete(
    '/api/therapists/me/photo',
    {
      schema: {
        tags: ['therapists'],
        summary: 'Remove your profile photo',
        problems: ['unauthenticated', 'forbidden'],
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const user = requireUser(request, 'therapist');
      await db.deleteFrom('therapist_photos').where('therapist_id', '=', user.id).execute();
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/therapists/:id/photo',
    {
      schema: {
        tags: ['therapists'],
        summary: 'A therapist’s profile photo (WebP)',
        description:
          'Seen by whoever may see the profile. Asked with the current version (`?v=`, as the profile’s `photo.url` gives it), it may be cached for a year (a new upload gets a new address); otherwise it is not cached.',
        params: idParams,
        querystring: photoQuery,
        produces: ['image/webp'],
        problems: ['not_found'],
        response: { 200: z.unknown().describe('The photo: image/webp') },
      },
    },
    async (request, reply) => {
      const profile = await visibleProfile(db, request.params.id, request.user, config.graceMinutes, today());
      const photo = await db
        .selectFrom('therapist_photos')
        .select(['webp', 'version'])
        .where('therapist_id', '=', request.params.id)
        .executeTakeFirst();
      if (!photo) throw new ProblemError('not_found', 'This therapist has no photo');
      const current = request.query.v === String(photo.version);
      return reply
        .header('content-type', 'image/webp')
        .header('cache-control', current && profile.searchable ? IMMUTABLE : 'private, no-cache')
        .header('x-content-type-options', 'nosniff')
        .send(photo.webp);
    },
  );
}
