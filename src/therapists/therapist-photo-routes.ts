import { type Transaction, sql } from 'kysely';
import { z } from 'zod';
import { requireUser } from '../accounts/request-user.js';
import type { App, AppContext } from '../app-context.js';
import { ProblemError } from '../domain/problems.js';
import type { DB } from '../schema.js';
import { MAX_PHOTO_BYTES, THUMBNAIL_SIDE_PX, photoThumbnail, reencodePhoto } from './therapist-photo.js';
import { loadTherapistProfile, photoAsSeenBy, therapistProfileSchema } from './therapist-profile.js';
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
    size: z
      .enum(['thumb'])
      .optional()
      .describe(`\`thumb\`: a ${THUMBNAIL_SIDE_PX}×${THUMBNAIL_SIDE_PX} px square crop, as search results show it`),
  })
  .strict();

/**
 * Search keeps each therapist's photo address in its calendar cache, which reloads a therapist when the database
 * announces them on this channel (migration 0006). Photos have no trigger of their own, so their writes announce
 * the therapist themselves, inside the transaction: delivered on commit, like the triggers' notices.
 */
const announcePhotoChange = (trx: Transaction<DB>, therapistId: string) =>
  sql`SELECT pg_notify('knotwork_calendar', ${therapistId})`.execute(trx);

/** Thumbnails made lately, by therapist and photo version: a page of results asks for the same few again and again. */
const THUMBNAILS_KEPT = 256;

/** Whether an If-None-Match header names this entity tag (weak comparison, as for GET). */
const matchesTag = (header: string | undefined, tag: string) =>
  !!header &&
  header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .some((t) => t === '*' || t === tag.replace(/^W\//, ''));

/** A year: a photo's address names its version, so the bytes behind one address never change. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The therapist's profile photo: uploaded (re-encoded by the server), removed, and served with cache headers. */
export function registerTherapistPhotoRoutes(app: App, ctx: AppContext) {
  const { db, clock, config } = ctx;
  const today = () => todayIn('UTC', clock.now());
  const thumbnails = new Map<string, Promise<Buffer>>();
  const thumbnailOf = (key: string, webp: Buffer): Promise<Buffer> => {
    let made = thumbnails.get(key);
    if (made) thumbnails.delete(key);
    else {
      made = photoThumbnail(webp);
      made.catch(() => thumbnails.delete(key));
    }
    thumbnails.set(key, made);
    if (thumbnails.size > THUMBNAILS_KEPT) thumbnails.delete(thumbnails.keys().next().value!);
    return made;
  };

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
          // A version is never given twice (0041): the address it names is cached for a year.
          .values({
            therapist_id: user.id,
            ...photo,
            version: sql<number>`nextval('therapist_photo_versions')`,
            updated_at: now,
          })
          .onConflict((oc) =>
            oc.column('therapist_id').doUpdateSet((eb) => ({
              webp: eb.ref('excluded.webp'),
              width: eb.ref('excluded.width'),
              height: eb.ref('excluded.height'),
              version: eb.ref('excluded.version'),
              updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
        await announcePhotoChange(trx, user.id);
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
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('therapist_photos').where('therapist_id', '=', user.id).execute();
        await announcePhotoChange(trx, user.id);
      });
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
          'Seen by whoever may see the profile. Asked with the current version (`?v=`, as the profile’s `photo.url` gives it), it may be cached for a year (a new upload gets a new address); otherwise it must be revalidated: the ETag names the version, and `If-None-Match` with it gets 304 without the bytes. `size=thumb` gives a small square crop (search results’ `photoUrl`).',
        params: idParams,
        querystring: photoQuery,
        produces: ['image/webp'],
        problems: ['not_found'],
        response: {
          200: z.unknown().describe('The photo: image/webp'),
          304: z.null().describe('Not modified: the If-None-Match named the current version'),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const seen = await photoAsSeenBy(db, id, request.user, today());
      if (seen.version === null) throw new ProblemError('not_found', 'This therapist has no photo');
      const thumb = request.query.size === 'thumb';
      const tagOf = (version: number) => `W/"${version}${thumb ? '-thumb' : ''}"`;
      const cacheControlOf = (version: number) =>
        request.query.v === String(version) && seen.public ? IMMUTABLE : 'private, no-cache';
      if (matchesTag(request.headers['if-none-match'], tagOf(seen.version)))
        return reply
          .code(304)
          .header('etag', tagOf(seen.version))
          .header('cache-control', cacheControlOf(seen.version))
          .send();
      const photo = await db
        .selectFrom('therapist_photos')
        .select(['webp', 'version'])
        .where('therapist_id', '=', id)
        .executeTakeFirst();
      if (!photo) throw new ProblemError('not_found', 'This therapist has no photo');
      const bytes = thumb ? await thumbnailOf(`${id}:${photo.version}`, photo.webp) : photo.webp;
      return reply
        .header('content-type', 'image/webp')
        .header('etag', tagOf(photo.version))
        .header('cache-control', cacheControlOf(photo.version))
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    },
  );
}
