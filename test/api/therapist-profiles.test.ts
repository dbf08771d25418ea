import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { heldSession } from '../support/session-fixture.js';
import { type TherapistFixture, createTherapist } from '../support/therapist-fixture.js';
import {
  type Session,
  type TestApp,
  TEST_NOW,
  call,
  createOperator,
  signUp,
  startTestApp,
} from '../support/test-app.js';

let t: TestApp;
let operator: Session;

beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());

const post = (who: Session | null, url: string, payload?: unknown) =>
  call(t.app, who, { method: 'POST', url, ...(payload === undefined ? {} : { payload }) });
const get = (who: Session | null, url: string) => call(t.app, who, { method: 'GET', url });
const put = (who: Session | null, url: string, payload: unknown) => call(t.app, who, { method: 'PUT', url, payload });

/** A therapist's photo address with its version. */
const versioned = (therapistId: string) => new RegExp(`^/api/therapists/${therapistId}/photo\\?v=\\d+$`);
/** A New York local time (UTC-5 in these weeks) as an ISO instant. */
const nyAt = (date: string, hhmm: string) => new Date(Date.parse(`${date}T${hhmm}:00-05:00`)).toISOString();

/** The profile as the fixture wrote it, with the fields this suite changes. */
async function profileBody(therapist: TherapistFixture, extra: Record<string, unknown>) {
  const mine = (await get(therapist.session, '/api/therapists/me')).json();
  return {
    market: mine.market,
    gender: mine.gender,
    bio: mine.bio,
    licence: { number: mine.licence.number, region: mine.licence.region, expiresOn: mine.licence.expiresOn },
    specialties: mine.specialties,
    timeZone: mine.timeZone,
    ...extra,
  };
}

/** A 3000×2000 JPEG carrying EXIF with a copyright and a GPS position, as a phone camera writes it. */
const cameraJpeg = () =>
  sharp({ create: { width: 3000, height: 2000, channels: 3, background: { r: 180, g: 120, b: 90 } } })
    .jpeg()
    .withExif({
      IFD0: { Copyright: 'Knotwork EXIF marker' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 45/1 0/1', GPSLongitudeRef: 'W', GPSLongitude: '73/1 59/1 0/1' },
    })
    .toBuffer();

/** The GPS IFD pointer tag (0x8825) as a little-endian EXIF block writes it. */
const GPS_POINTER = Buffer.from([0x25, 0x88]);

describe('the public profile', () => {
  let therapist: TherapistFixture;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Pia Profile' }, operator);
  });

  it('shows bio, specialties, languages, years in practice, places and prices to anybody', async () => {
    const saved = await put(
      therapist.session,
      '/api/therapists/me',
      await profileBody(therapist, {
        bio: 'Fifteen years of sports massage.',
        languages: ['English', 'Español'],
        yearsInPractice: 15,
      }),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    const shown = await get(null, `/api/therapists/${therapist.id}`);
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toMatchObject({
      displayName: 'Pia Profile',
      bio: 'Fifteen years of sports massage.',
      languages: ['English', 'Español'],
      yearsInPractice: 15,
      specialties: ['hamstrings', 'sports'],
      studios: [expect.objectContaining({ name: 'Studio' })],
      services: expect.arrayContaining([{ durationMin: 60, priceCents: 12_000, currency: 'USD' }]),
      photo: null,
      rating: { average: null, count: 0 },
      licence: { number: null, reviewNote: null },
    });
  });

  it('refuses a language twice and years out of range, naming the field', async () => {
    const twice = await put(
      therapist.session,
      '/api/therapists/me',
      await profileBody(therapist, { languages: ['English', 'english'] }),
    );
    expect(twice.json()).toMatchObject({ status: 400, field: 'languages.1', errors: [{ code: 'duplicate' }] });
    const years = await put(
      therapist.session,
      '/api/therapists/me',
      await profileBody(therapist, { yearsInPractice: 71 }),
    );
    expect(years.json()).toMatchObject({ status: 400, field: 'yearsInPractice' });
    expect((await get(null, `/api/therapists/${therapist.id}`)).json().yearsInPractice).toBe(15);
  });
});

describe('the profile photo', () => {
  let therapist: TherapistFixture;
  let pending: TherapistFixture;
  /** The therapist's photo address as the last upload gave it, and every one given so far. */
  let current: string;
  const given = new Set<string>();

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Phoebe Photo' }, operator);
    pending = await createTherapist(t, { displayName: 'Pending Photo', approve: false });
  });

  const upload = (who: Session, content: Buffer) =>
    put(who, '/api/therapists/me/photo', { contentBase64: content.toString('base64') });

  it('keeps a WebP of bounded size with the EXIF and its GPS position gone, cached by version', async () => {
    const original = await cameraJpeg();
    const before = await sharp(original).metadata();
    expect(before.exif?.includes('Knotwork EXIF marker')).toBe(true);
    expect(before.exif?.includes(GPS_POINTER)).toBe(true);

    const uploaded = await upload(therapist.session, original);
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const { photo } = uploaded.json();
    expect(photo).toEqual({ url: expect.stringMatching(versioned(therapist.id)), width: 800, height: 533 });

    const served = await get(null, photo.url);
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/webp');
    expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const kept = await sharp(served.rawPayload).metadata();
    expect(kept).toMatchObject({ format: 'webp', width: 800, height: 533 });
    expect(kept.exif).toBeUndefined();
    expect(kept.xmp).toBeUndefined();
    expect(served.rawPayload.includes('Knotwork EXIF marker')).toBe(false);
    expect(served.rawPayload.length).toBeLessThan(200 * 1024);

    expect((await get(null, `/api/therapists/${therapist.id}/photo`)).headers['cache-control']).toBe(
      'private, no-cache',
    );

    const replaced = await upload(therapist.session, await sharp(original).rotate(90).png().toBuffer());
    expect(replaced.json().photo).toMatchObject({ url: expect.stringMatching(versioned(therapist.id)), width: 533 });
    current = replaced.json().photo.url;
    expect(current).not.toBe(photo.url);
    given.add(photo.url).add(current);
  });

  it('refuses what is not a photo, and one too large, naming the field', async () => {
    const text = await upload(therapist.session, Buffer.from('%PDF-1.4 not a photo at all'));
    expect(text.statusCode).toBe(415);
    expect(text.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(text.json()).toMatchObject({ code: 'unsupported_image_type', field: 'contentBase64' });

    const huge = await upload(therapist.session, Buffer.alloc(8 * 1024 * 1024 + 1, 0xff));
    expect(huge.json()).toMatchObject({ status: 413, code: 'payload_too_large', field: 'contentBase64' });

    const notBase64 = await put(therapist.session, '/api/therapists/me/photo', { contentBase64: 'not base64!' });
    expect(notBase64.json()).toMatchObject({ status: 400, field: 'contentBase64' });

    const client = await signUp(t.app, 'client');
    expect((await upload(client, await cameraJpeg())).statusCode).toBe(403);
    expect((await get(null, current)).statusCode).toBe(200);
  });

  it('shows a photo only where the profile may be seen, and removes it', async () => {
    const uploaded = await upload(pending.session, await cameraJpeg());
    expect(uploaded.statusCode).toBe(200);
    const url: string = uploaded.json().photo.url;
    expect((await get(null, url)).statusCode).toBe(404);
    const own = await get(pending.session, url);
    expect(own.statusCode).toBe(200);
    expect(own.headers['cache-control']).toBe('private, no-cache');

    expect((await call(t.app, pending.session, { method: 'DELETE', url: '/api/therapists/me/photo' })).statusCode).toBe(
      204,
    );
    expect((await get(pending.session, url)).statusCode).toBe(404);
    expect((await get(pending.session, '/api/therapists/me')).json().photo).toBeNull();
  });

  it('never gives an address twice, also to a photo uploaded after one was removed', async () => {
    const removed = current;
    expect(
      (await call(t.app, therapist.session, { method: 'DELETE', url: '/api/therapists/me/photo' })).statusCode,
    ).toBe(204);
    const again = await upload(therapist.session, await cameraJpeg());
    expect(again.statusCode).toBe(200);
    const url: string = again.json().photo.url;
    expect(url).toMatch(versioned(therapist.id));
    expect([...given]).not.toContain(url);
    // The removed photo's address (cached for a year where it was seen) is no longer the current one: whoever asks
    // with it gets the new photo, to be revalidated, never the promise that it stays.
    const old = await get(null, removed);
    expect(old.statusCode).toBe(200);
    expect(old.headers['cache-control']).toBe('private, no-cache');
    const now = await get(null, url);
    expect(old.rawPayload.equals(now.rawPayload)).toBe(true);
    expect(now.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });
});

describe('photos in search results', () => {
  /** A corner of Staten Island no other suite searches. */
  const CORNER = { lat: 40.5795, lng: -74.1502 };
  let pictured: TherapistFixture;
  let plain: TherapistFixture;

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    pictured = await createTherapist(t, { displayName: 'Tess Thumbnail', studio: CORNER }, operator);
    plain = await createTherapist(t, { displayName: 'Nico Noface', studio: CORNER }, operator);
  });

  const photoUrls = async () => {
    const query = new URLSearchParams({
      durationMin: '60',
      zone: 'America/New_York',
      from: '2026-11-24',
      to: '2026-11-25',
      mode: 'studio',
      lat: String(CORNER.lat),
      lng: String(CORNER.lng),
      radiusKm: '1',
    });
    const found = await get(null, `/api/availability?${query.toString()}`);
    expect(found.statusCode, found.body).toBe(200);
    const results: { therapist: { id: string; photoUrl: string | null } }[] = found.json().results;
    return new Map(results.map((r) => [r.therapist.id, r.therapist.photoUrl]));
  };

  it('gives each therapist a thumbnail address or null, current after an upload and a removal', async () => {
    const before = await photoUrls();
    expect(before.get(pictured.id)).toBeNull();
    expect(before.get(plain.id)).toBeNull();

    const uploaded = await put(pictured.session, '/api/therapists/me/photo', {
      contentBase64: (await cameraJpeg()).toString('base64'),
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const after = await photoUrls();
    expect(after.get(pictured.id)).toMatch(new RegExp(`${versioned(pictured.id).source.slice(0, -1)}&size=thumb$`));
    expect(after.get(plain.id)).toBeNull();

    const thumb = await get(null, after.get(pictured.id)!);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/webp');
    expect(thumb.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(await sharp(thumb.rawPayload).metadata()).toMatchObject({ format: 'webp', width: 96, height: 96 });
    const full = await get(null, after.get(pictured.id)!.replace('&size=thumb', ''));
    expect(thumb.rawPayload.length).toBeLessThan(full.rawPayload.length / 4);
    expect(thumb.headers.etag).not.toBe(full.headers.etag);

    const removed = await call(t.app, pictured.session, { method: 'DELETE', url: '/api/therapists/me/photo' });
    expect(removed.statusCode).toBe(204);
    expect((await photoUrls()).get(pictured.id)).toBeNull();
  });

  it('answers a request naming the version it holds with 304 and no bytes', async () => {
    await put(pictured.session, '/api/therapists/me/photo', {
      contentBase64: (await cameraJpeg()).toString('base64'),
    });
    const url = (await photoUrls()).get(pictured.id)!;
    const first = await get(null, url);
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^W\/"\d+-thumb"$/);
    const again = await call(t.app, null, { method: 'GET', url, headers: { 'if-none-match': tag } });
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(tag);
    expect(again.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const unversioned = `/api/therapists/${pictured.id}/photo`;
    const old = await call(t.app, null, { method: 'GET', url: unversioned, headers: { 'if-none-match': 'W/"0"' } });
    expect(old.statusCode).toBe(200);
    expect(old.headers['cache-control']).toBe('private, no-cache');
    const current = await call(t.app, null, {
      method: 'GET',
      url: unversioned,
      headers: { 'if-none-match': old.headers.etag as string },
    });
    expect(current.statusCode).toBe(304);
  });
});

describe('reviews', () => {
  let therapist: TherapistFixture;
  let other: TherapistFixture;
  let client: Session;
  let booking: { id: string };
  let stars: { id: string };

  beforeAll(async () => {
    t.clock.set(TEST_NOW);
    therapist = await createTherapist(t, { displayName: 'Reva Reviewed' }, operator);
    other = await createTherapist(t, { displayName: 'Otto Other' }, operator);
    client = await signUp(t.app, 'client', 'Maria Kowalski');
    const secondClient = await signUp(t.app, 'client', 'Sam Stars');
    booking = await heldSession(t, client, therapist, nyAt('2026-11-24', '10:00'), { note: null });
    stars = await heldSession(t, secondClient, therapist, nyAt('2026-11-24', '14:00'), { note: null });
    expect((await post(secondClient, `/api/bookings/${stars.id}/rating`, { stars: 3 })).statusCode).toBe(201);
  });

  it('publishes a client’s review under first name and initial, refusing one from the therapist or too long', async () => {
    const tooLong = await post(client, `/api/bookings/${booking.id}/rating`, { stars: 5, review: 'x'.repeat(2001) });
    expect(tooLong.json()).toMatchObject({ status: 400, field: 'review' });
    const fromTherapist = await post(therapist.session, `/api/bookings/${booking.id}/rating`, {
      stars: 4,
      review: 'Lovely client',
    });
    expect(fromTherapist.json()).toMatchObject({ status: 400, field: 'review', errors: [{ code: 'not_allowed' }] });

    const rated = await post(client, `/api/bookings/${booking.id}/rating`, {
      stars: 5,
      comment: 'Private: the room was cold',
      review: '  Found every knot, and asked about pressure throughout.  ',
    });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json()).toMatchObject({
      review: 'Found every knot, and asked about pressure throughout.',
      reply: null,
      hidden: false,
    });

    const page = await get(null, `/api/therapists/${therapist.id}/reviews`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toEqual({
      rating: { average: 4, count: 2 },
      total: 1,
      page: 1,
      pageSize: 10,
      reviews: [
        {
          id: booking.id,
          stars: 5,
          text: 'Found every knot, and asked about pressure throughout.',
          author: 'Maria K.',
          createdAt: expect.any(String),
          reply: null,
        },
      ],
    });
    expect(page.body).not.toContain('Kowalski');
    expect(page.body).not.toContain('room was cold');
  });

  it('takes one reply from the reviewed therapist, and shows it to the client', async () => {
    expect((await post(other.session, `/api/reviews/${booking.id}/reply`, { text: 'Thanks!' })).statusCode).toBe(404);
    expect((await post(therapist.session, `/api/reviews/${stars.id}/reply`, { text: 'Thanks!' })).statusCode).toBe(404);
    expect((await post(client, `/api/reviews/${booking.id}/reply`, { text: 'Me too' })).statusCode).toBe(403);
    expect((await post(therapist.session, `/api/reviews/${booking.id}/reply`, { text: ' ' })).json()).toMatchObject({
      status: 400,
      field: 'text',
    });

    const replied = await post(therapist.session, `/api/reviews/${booking.id}/reply`, { text: 'Thank you, Maria!' });
    expect(replied.statusCode, replied.body).toBe(204);
    const second = await post(therapist.session, `/api/reviews/${booking.id}/reply`, { text: 'Again' });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'already_replied' });

    const shown = (await get(null, `/api/therapists/${therapist.id}/reviews`)).json().reviews[0];
    expect(shown.reply).toEqual({ text: 'Thank you, Maria!', createdAt: expect.any(String) });
    expect((await get(client, `/api/bookings/${booking.id}/rating`)).json().client.reply).toMatchObject({
      text: 'Thank you, Maria!',
    });
  });

  it('lets an operator hide a review with a reason, audited; its stars still count', async () => {
    expect((await post(therapist.session, `/api/reviews/${booking.id}/hide`, { reason: 'Mine' })).statusCode).toBe(403);
    expect((await post(operator, `/api/reviews/${booking.id}/hide`, {})).json()).toMatchObject({
      status: 400,
      field: 'reason',
    });
    const hidden = await post(operator, `/api/reviews/${booking.id}/hide`, { reason: 'Names another client' });
    expect(hidden.statusCode, hidden.body).toBe(204);
    expect((await post(operator, `/api/reviews/${booking.id}/hide`, { reason: 'Again' })).json()).toMatchObject({
      status: 409,
      code: 'already_hidden',
    });
    expect((await post(operator, `/api/reviews/${stars.id}/hide`, { reason: 'No text' })).statusCode).toBe(404);

    const publicPage = (await get(client, `/api/therapists/${therapist.id}/reviews`)).json();
    expect(publicPage).toMatchObject({ rating: { average: 4, count: 2 }, total: 0, reviews: [] });
    const operatorsPage = (await get(operator, `/api/therapists/${therapist.id}/reviews`)).json();
    expect(operatorsPage.reviews).toEqual([
      expect.objectContaining({ id: booking.id, hidden: { reason: 'Names another client', at: expect.any(String) } }),
    ]);
    expect((await get(client, `/api/bookings/${booking.id}/rating`)).json().client.hidden).toBe(true);

    const audit = await t.database.db
      .selectFrom('audit_log')
      .select(['actor_id', 'subject_user_id', 'detail'])
      .where('action', '=', 'review.hidden')
      .where('subject_id', '=', booking.id)
      .execute();
    expect(audit).toEqual([
      {
        actor_id: operator.id,
        subject_user_id: client.id,
        detail: { therapistId: therapist.id, reason: 'Names another client' },
      },
    ]);
  });

  it('answers 404 for the reviews of an unknown therapist', async () => {
    expect((await get(null, `/api/therapists/${crypto.randomUUID()}/reviews`)).json()).toMatchObject({
      status: 404,
    });
  });
});

describe('ranking by rating', () => {
  it('puts forty ratings at 4.9 above a single 5, and shows both counts', async () => {
    t.clock.set(TEST_NOW);
    const many = await createTherapist(t, { displayName: 'Forty Ratings' }, operator);
    const one = await createTherapist(t, { displayName: 'One Rating' }, operator);
    const typical = await createTherapist(t, { displayName: 'Typical Ratings' }, operator);
    const setRating = (id: string, average: number, count: number) =>
      t.database.db
        .updateTable('therapists')
        .set({ rating_average: average, rating_count: count })
        .where('user_id', '=', id)
        .execute();
    await setRating(many.id, 4.9, 40);
    await setRating(one.id, 5, 1);
    // The market's mean is what a rating is weighed against: here below 4.9, as in any market with a spread.
    await setRating(typical.id, 4.3, 20);
    const query = new URLSearchParams({
      durationMin: '60',
      from: '2026-12-14',
      to: '2026-12-15',
      zone: 'America/New_York',
      mode: 'studio',
      lat: '40.7549',
      lng: '-73.984',
      pageSize: '50',
      sort: 'rating',
    });
    const results = (await get(null, `/api/availability?${query.toString()}`)).json().results as {
      therapist: { id: string; rating: { average: number; count: number } };
    }[];
    const ids = results.map((r) => r.therapist.id);
    expect(ids.indexOf(many.id)).toBeLessThan(ids.indexOf(one.id));
    expect(results[0]!.therapist).toMatchObject({ id: many.id, rating: { average: 4.9, count: 40 } });
    expect(results.find((r) => r.therapist.id === one.id)!.therapist.rating).toEqual({ average: 5, count: 1 });
  });
});
