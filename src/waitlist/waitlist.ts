import { type Kysely, type Selectable, type SelectQueryBuilder, type Transaction, sql } from 'kysely';
import { displayNameMap } from '../accounts/accounts-reads.js';
import type { SignedInUser } from '../accounts/sessions.js';
import type { CachedTherapist } from '../availability/calendar-loader.js';
import { loadCalendarsFor, openingsOf } from '../availability/open-slots.js';
import type { BookingEvent } from '../booking/engine/booking-event.js';
import { consumeBookingEvents } from '../booking/booking-event-stream.js';
import { bookingFacts } from '../booking/booking-reads.js';
import { type ScreeningGate, holdBooking } from '../booking/booking-service.js';
import { type PlacementSettings, type RequestedPlace, requestedZone } from '../booking/place-booking.js';
import { boxAround } from '../domain/geo-box.js';
import { ProblemError, fieldProblem } from '../domain/problems.js';
import { enqueueMessages } from '../notify/outbox.js';
import { therapistsKeptApartFrom } from '../ratings/pair-preferences.js';
import type { DB } from '../schema.js';
import { FREED_TIME_JOB, announceFreedTime } from '../therapists/new-hours.js';
import { therapistById, therapistsWhoCouldServe } from '../therapists/therapists-reads.js';
import { scheduleJob } from '../jobs/job-scheduler.js';
import { todayIn } from '../therapists/today.js';
import { localToInstant } from '../scheduling/engine/zoned-time.js';
import { epochDayFromIsoDate } from '../scheduling/engine/calendar-date.js';
import { waitlistOfferMessage } from './engine/waitlist-message.js';
import {
  OFFER_STARTS,
  type WaitlistOffer,
  type WaitlistWindow,
  fitsWindow,
  tellingTimes,
  windowSpan,
} from './engine/waitlist-window.js';
import type { WaitlistEntriesTable } from './waitlist-tables.js';

type Db = Kysely<DB> | Transaction<DB>;
type Trx = Transaction<DB>;
export type WaitlistEntryRow = Selectable<WaitlistEntriesTable>;

/** The consumer of booking's event stream whose cursor migration 0035 creates. */
const CONSUMER = 'waitlist';
/** Each next client in line is told this long after the one before. */
export const OFFER_STAGGER_MS = 2 * 60_000;
/** At most this many entries are looked at per freed therapist and run (the oldest first). */
const ENTRIES_PER_RUN = 500;
/** A client may wait for this many windows at once. */
export const MAX_OPEN_ENTRIES = 20;

export interface JoinRequest {
  therapistId?: string | undefined;
  durationMin: number;
  mode: 'studio' | 'home';
  lat: number;
  lng: number;
  radiusKm: number;
  address?: string | undefined;
  gender?: 'female' | 'male' | 'nonbinary' | undefined;
  specialty?: string | undefined;
  timeZone: string;
  window: WaitlistWindow;
}

const windowOf = (row: WaitlistEntryRow): WaitlistWindow => ({
  fromDate: row.from_date,
  toDate: row.to_date,
  fromMinute: row.from_minute,
  toMinute: row.to_minute,
});

const isOpen = (row: Pick<WaitlistEntryRow, 'status'>) => row.status === 'waiting' || row.status === 'offered';
const isPast = (row: WaitlistEntryRow, now: number) => row.to_date < todayIn(row.time_zone, now);

/** Joins the waitlist; bad input names its field. */
export async function joinWaitlist(trx: Trx, client: SignedInUser, request: JoinRequest, now: number) {
  if (request.therapistId && !(await therapistById(trx, request.therapistId)))
    throw fieldProblem('therapistId', 'unknown', 'No such therapist');
  const open = await trx
    .selectFrom('waitlist_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_id', '=', client.id)
    .where('status', 'in', ['waiting', 'offered'])
    .where('to_date', '>=', todayIn(request.timeZone, now))
    .executeTakeFirstOrThrow();
  if (Number(open.n) >= MAX_OPEN_ENTRIES)
    throw new ProblemError('waitlist_full', `You can wait for at most ${MAX_OPEN_ENTRIES} times at once`);
  const entry = await trx
    .insertInto('waitlist_entries')
    .values({
      client_id: client.id,
      therapist_id: request.therapistId ?? null,
      duration_min: request.durationMin,
      mode: request.mode,
      lat: request.lat,
      lng: request.lng,
      radius_km: request.radiusKm,
      address: request.mode === 'home' ? (request.address ?? null) : null,
      gender: request.gender ?? null,
      specialty: request.specialty ?? null,
      time_zone: request.timeZone,
      from_date: request.window.fromDate,
      to_date: request.window.toDate,
      from_minute: request.window.fromMinute,
      to_minute: request.window.toMinute,
      created_at: new Date(now),
      updated_at: new Date(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  // Time may already be free in the window (freed between the search and the join): look at once, the same durable
  // way as when time frees later, committed with the entry.
  await scheduleJob(
    trx,
    {
      kind: FREED_TIME_JOB,
      payload: { entryId: entry.id, cause: 'joined' },
      runAt: now,
      dedupeKey: `${FREED_TIME_JOB}:joined:${entry.id}`,
    },
    now,
  );
  // The entry leaves the open entries (and their indexes) when its window ends, whether or not time ever freed.
  await scheduleJob(
    trx,
    {
      kind: WINDOW_END_JOB,
      payload: { entryId: entry.id },
      runAt: windowEndOf(entry),
      dedupeKey: `${WINDOW_END_JOB}:${entry.id}`,
    },
    now,
  );
  return entry;
}

/** The job that closes an entry still open when its window ends (`expireEndedEntry`). */
export const WINDOW_END_JOB = 'waitlist.window_end';

/** The instant an entry's window ends: midnight after its last day, in its zone. */
function windowEndOf(row: Pick<WaitlistEntryRow, 'to_date' | 'time_zone'>): number {
  // to_date is a valid date: the table's column type.
  return localToInstant(row.time_zone, epochDayFromIsoDate(row.to_date)! + 1, 0);
}

/** Closes the entry as expired if it is still open and its window has passed. Returns whether it did. */
export async function expireEndedEntry(trx: Trx, entryId: string, now: number): Promise<boolean> {
  const entry = await trx
    .selectFrom('waitlist_entries')
    .selectAll()
    .where('id', '=', entryId)
    .where('status', 'in', ['waiting', 'offered'])
    .forUpdate()
    .executeTakeFirst();
  if (!entry || !isPast(entry, now)) return false;
  await expire(trx, [entry.id], now);
  return true;
}

/** How many therapists' calendars a new entry's look reads at once (it stops at the first batch with an opening). */
const CALENDARS_PER_READ = 20;

/**
 * The look at once on joining: the entry's therapist, or for "any therapist matching" the therapists who could serve
 * it (those offering the length, near enough, with a studio or a travel area as the mode asks: `therapistsWhoCouldServe`,
 * one query bounded by a spatial index), by id, their calendars read a batch at a time, until one has a free time in
 * the window; it is offered as freed time is. Returns how many were offered (0 or 1).
 */
export async function offerToNewEntry(trx: Trx, entryId: string, now: number, stepMin: number): Promise<number> {
  const entry = await trx
    .selectFrom('waitlist_entries')
    .selectAll()
    .where('id', '=', entryId)
    .where('status', '=', 'waiting')
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
  if (!entry) return 0;
  if (isPast(entry, now)) {
    await expire(trx, [entry.id], now);
    return 0;
  }
  const therapistIds = entry.therapist_id
    ? [entry.therapist_id]
    : await therapistsWhoCouldServe(trx, criteriaOf(entry), todayIn(entry.time_zone, now));
  if (therapistIds.length === 0) return 0;
  const keptApart = await therapistsKeptApartFrom(trx, entry.client_id);
  for (let i = 0; i < therapistIds.length; i += CALENDARS_PER_READ) {
    const batch = therapistIds.slice(i, i + CALENDARS_PER_READ);
    const calendars = new Map((await loadCalendarsFor(trx, batch, now)).map((t) => [t.id, t]));
    for (const id of batch) {
      const therapist = calendars.get(id);
      const offer = therapist && offerFor(therapist, entry, keptApart, now, stepMin);
      if (offer) return tell(trx, [{ entry, offer }], now);
    }
  }
  return 0;
}

/**
 * A client's entries as they read them: an entry whose window has passed reads as expired, and an offer not yet
 * told (a later place in line) reads as still waiting.
 */
export async function waitlistOf(db: Db, clientId: string, now: number, id?: string) {
  let query = db.selectFrom('waitlist_entries').selectAll().where('client_id', '=', clientId);
  if (id) query = query.where('id', '=', id);
  const rows = await query.orderBy('seq', 'desc').limit(100).execute();
  const names = await displayNameMap(db, [...new Set(rows.flatMap((r) => (r.therapist_id ? [r.therapist_id] : [])))]);
  return rows.map((row) => {
    const expired = isOpen(row) && isPast(row, now);
    const told = row.status === 'offered' && row.offered_at !== null && row.offered_at.getTime() <= now;
    const status = expired ? 'expired' : row.status === 'offered' && !told ? 'waiting' : row.status;
    return {
      row,
      status,
      therapistName: row.therapist_id ? (names.get(row.therapist_id) ?? null) : null,
      offer: status === 'offered' ? row.offer : null,
    };
  });
}

/** Leaves the waitlist (the entry is kept, cancelled). */
export async function leaveWaitlist(db: Kysely<DB>, clientId: string, id: string, now: number): Promise<void> {
  const updated = await db
    .updateTable('waitlist_entries')
    .set({ status: 'cancelled', offer: null, updated_at: new Date(now) })
    .where('id', '=', id)
    .where('client_id', '=', clientId)
    .where('status', 'in', ['waiting', 'offered'])
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) {
    const exists = await db
      .selectFrom('waitlist_entries')
      .select('status')
      .where('id', '=', id)
      .where('client_id', '=', clientId)
      .executeTakeFirst();
    if (!exists) throw new ProblemError('not_found', 'No such waitlist entry of yours');
    throw new ProblemError('waitlist_entry_closed', `This entry is ${exists.status} already`);
  }
}

export interface ClaimRequest {
  therapistId: string;
  startsAt: number;
  studioId?: string | undefined;
}

/**
 * Claims a free time for a waiting entry: a normal hold through booking's service (screening first, then the
 * therapist's rules, then the exclusion constraint, which judges between clients claiming at once). The entry
 * becomes claimed with the hold. A claim that loses the time (409 slot_unavailable) leaves the entry waiting and
 * asks the waitlist to look again at the therapist's time (other starts may still be free).
 */
export async function claimWaitlistTime(
  db: Kysely<DB>,
  client: SignedInUser,
  id: string,
  claim: ClaimRequest,
  settings: PlacementSettings,
  gate: ScreeningGate,
): Promise<string> {
  try {
    return await db.transaction().execute(async (trx) => {
      const entry = await trx
        .selectFrom('waitlist_entries')
        .selectAll()
        .where('id', '=', id)
        .where('client_id', '=', client.id)
        .forUpdate()
        .executeTakeFirst();
      if (!entry) throw new ProblemError('not_found', 'No such waitlist entry of yours');
      if (!isOpen(entry) || isPast(entry, settings.now))
        throw new ProblemError('waitlist_entry_closed', `This entry is ${isOpen(entry) ? 'expired' : entry.status}`);
      if (entry.therapist_id && entry.therapist_id !== claim.therapistId)
        throw fieldProblem('therapistId', 'not_on_entry', 'This entry waits for another therapist');
      const therapist = await therapistById(trx, claim.therapistId);
      if (!therapist) throw fieldProblem('therapistId', 'unknown', 'No such therapist');
      if (
        (entry.gender && therapist.gender !== entry.gender) ||
        (entry.specialty && !therapist.specialties.includes(entry.specialty))
      )
        throw fieldProblem('therapistId', 'not_matching', 'This therapist does not match what you wait for');
      let place: RequestedPlace;
      if (entry.mode === 'home') {
        place = { mode: 'home', address: entry.address!, lat: entry.lat, lng: entry.lng };
      } else {
        if (!claim.studioId) throw fieldProblem('studioId', 'required', 'Name the studio of the time you claim');
        place = { mode: 'studio', studioId: claim.studioId };
      }
      const zone = await requestedZone(trx, claim.therapistId, place, '');
      if (!fitsWindow(windowOf(entry), zone, claim.startsAt, entry.duration_min))
        throw fieldProblem('start', 'outside_window', 'Pick a time inside the dates and hours you wait for');
      const bookingId = await holdBooking(
        trx,
        client,
        { therapistId: claim.therapistId, durationMin: entry.duration_min, startsAt: claim.startsAt, place },
        settings,
        gate,
      );
      await trx
        .updateTable('waitlist_entries')
        .set({ status: 'claimed', booking_id: bookingId, updated_at: new Date(settings.now) })
        .where('id', '=', id)
        .execute();
      return bookingId;
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === '23P01' || code === 'slot_unavailable' || code === 'slot_not_offered') {
      // Lost (or the time is gone): still waiting, and the therapist's time is looked at again.
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('waitlist_entries')
          .set({ status: 'waiting', offer: null, offered_at: null, updated_at: new Date(settings.now) })
          .where('id', '=', id)
          .where('client_id', '=', client.id)
          .where('status', '=', 'offered')
          .execute();
        await announceFreedTime(trx, claim.therapistId, settings.now, `claim-lost:${id}:${settings.now}`);
      });
    }
    throw error;
  }
}

const sameOffer = (a: WaitlistOffer | null, b: WaitlistOffer) =>
  a !== null &&
  a.therapistId === b.therapistId &&
  JSON.stringify(a.place) === JSON.stringify(b.place) &&
  a.starts.join() === b.starts.join();

const OPEN = sql<boolean>`status IN ('waiting', 'offered')`;

/**
 * The open entries a therapist's freed time could serve, oldest first, locked (skipping those another run holds):
 * those waiting for this therapist, and the "any therapist matching" ones of a length the therapist offers whose
 * point lies within a client's reach (100 km at most) of one of the therapist's studios (studio mode) or inside their
 * travel area's box (home mode). Each part is read through its own index (migration 0040), so the read grows with
 * the entries near the therapist, not with the waitlist; the exact distance, filters and times are the engine's.
 */
async function openEntriesFor(
  trx: Trx,
  therapistId: string,
  therapist: CachedTherapist | undefined,
): Promise<WaitlistEntryRow[]> {
  const oldest =
    <O>(query: SelectQueryBuilder<DB, 'waitlist_entries', O>) =>
    () =>
      // `seq + 0`: ordered after the index finds the rows, never by walking the seq index (the whole table) in order.
      query
        .orderBy(sql`seq + 0`)
        .limit(ENTRIES_PER_RUN)
        .forUpdate()
        .skipLocked()
        .execute();
  const parts = [
    oldest(trx.selectFrom('waitlist_entries').selectAll().where(OPEN).where('therapist_id', '=', therapistId)),
  ];
  const durations = therapist ? [...therapist.services.keys()] : [];
  const anyTherapist = (mode: 'studio' | 'home') =>
    trx
      .selectFrom('waitlist_entries')
      .selectAll()
      .where(OPEN)
      .where('therapist_id', 'is', null)
      .where('mode', '=', mode)
      .where('duration_min', 'in', durations);
  if (therapist && durations.length > 0) {
    // Studio visits: the entries whose own reach (migration 0048's waitlist_reach, a box around where the client
    // searched) holds one of the studios (as a box of one point: GiST's box operators take boxes).
    if (therapist.studios.length > 0)
      parts.push(
        oldest(
          anyTherapist('studio').where((eb) =>
            eb.or(
              therapist.studios.map(
                (s) =>
                  sql<boolean>`waitlist_reach(lat, lng, radius_km) @> box(point(${s.point.lng}, ${s.point.lat}), point(${s.point.lng}, ${s.point.lat}))`,
              ),
            ),
          ),
        ),
      );
    // Home visits: the homes inside the travel area's box.
    const box = therapist.mobileArea && boxAround(therapist.mobileArea.point, therapist.mobileArea.radiusKm);
    if (box) {
      let query = anyTherapist('home').where('lat', '>=', box.south).where('lat', '<=', box.north);
      if (box.west !== undefined) query = query.where('lng', '>=', box.west).where('lng', '<=', box.east!);
      parts.push(oldest(query));
    }
  }
  // One after the other, as the transaction's connection runs them (the locks taken in a fixed order).
  const read: WaitlistEntryRow[] = [];
  for (const part of parts) read.push(...(await part()));
  return read.sort((a, b) => Number(a.seq) - Number(b.seq)).slice(0, ENTRIES_PER_RUN);
}

const criteriaOf = (entry: WaitlistEntryRow) => ({
  durationMin: entry.duration_min,
  mode: entry.mode,
  point: { lat: entry.lat, lng: entry.lng },
  radiusKm: entry.radius_km,
  gender: entry.gender,
  specialty: entry.specialty,
});

/** The starts really free with this therapist inside the entry's window, as an offer; undefined when none. */
function offerFor(
  therapist: CachedTherapist,
  entry: WaitlistEntryRow,
  keptApart: ReadonlySet<string>,
  now: number,
  stepMin: number,
): WaitlistOffer | undefined {
  const window = windowOf(entry);
  const [opening] = openingsOf(
    therapist,
    { ...criteriaOf(entry), keptApart },
    (zone) => windowSpan(window, zone),
    (zone, start) => fitsWindow(window, zone, start, entry.duration_min),
    now,
    stepMin,
  );
  if (!opening) return undefined;
  return {
    therapistId: opening.therapistId,
    therapistName: opening.displayName,
    place: opening.place,
    timeZone: opening.timeZone,
    starts: opening.slots.slice(0, OFFER_STARTS),
  };
}

async function expire(trx: Trx, ids: string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('waitlist_entries')
    .set({ status: 'expired', offer: null, updated_at: new Date(now) })
    .where('id', 'in', ids)
    .execute();
}

/** Records the offers on their entries and tells the clients in line order (`OFFER_STAGGER_MS` apart). */
async function tell(trx: Trx, offers: { entry: WaitlistEntryRow; offer: WaitlistOffer }[], now: number) {
  const times = tellingTimes(offers.length, now, OFFER_STAGGER_MS);
  for (const [index, { entry, offer }] of offers.entries()) {
    const tellAt = times[index]!;
    await trx
      .updateTable('waitlist_entries')
      .set({ status: 'offered', offer: JSON.stringify(offer), offered_at: new Date(tellAt), updated_at: new Date(now) })
      .where('id', '=', entry.id)
      .execute();
  }
  await enqueueMessages(
    trx,
    offers.map(({ entry, offer }, index) =>
      waitlistOfferMessage({
        clientId: entry.client_id,
        entryId: entry.id,
        offer,
        durationMin: entry.duration_min,
        placeInLine: index + 1,
        sendAt: times[index]!,
      }),
    ),
    now,
  );
  return offers.length;
}

/**
 * The job's work when a therapist's time may have freed: each open entry that could take this therapist (theirs, or
 * any therapist matching its search near enough: `openEntriesFor`) is offered the starts that are really free now
 * inside its window, read from the database by the engine search and booking use. Clients are told in the order they
 * joined (each next one a little later: `OFFER_STAGGER_MS`), by e-mail through notify's outbox and in their waitlist.
 * Entries read whose window has passed expire. Returns how many were offered.
 */
export async function offerFreedTime(trx: Trx, therapistId: string, now: number, stepMin: number): Promise<number> {
  const [therapist] = await loadCalendarsFor(trx, [therapistId], now);
  const entries = await openEntriesFor(trx, therapistId, therapist);
  if (entries.length === 0) return 0;
  await expire(
    trx,
    entries.filter((e) => isPast(e, now)).map((e) => e.id),
    now,
  );
  if (!therapist) return 0;
  const keptApart = new Map<string, Set<string>>();
  const offers: { entry: WaitlistEntryRow; offer: WaitlistOffer }[] = [];
  for (const entry of entries) {
    if (isPast(entry, now)) continue;
    if (!keptApart.has(entry.client_id))
      keptApart.set(entry.client_id, await therapistsKeptApartFrom(trx, entry.client_id));
    const offer = offerFor(therapist, entry, keptApart.get(entry.client_id)!, now, stepMin);
    if (!offer) continue;
    if (entry.status === 'offered' && sameOffer(entry.offer, offer)) continue;
    offers.push({ entry, offer });
  }
  return tell(trx, offers, now);
}

/** Booking moves that free a therapist's time: a hold expired or cancelled, a session cancelled or moved away. */
const FREES_TIME = (event: BookingEvent) =>
  (event.fromStatus === 'held' || event.fromStatus === 'awaiting_clearance' || event.fromStatus === 'confirmed') &&
  (event.toStatus === 'cancelled' || event.toStatus === 'expired' || event.toStatus === 'rescheduled');

/**
 * Reads booking's event stream (its own cursor) and, for each therapist whose time a batch freed, schedules the
 * waitlist's look at it as a durable job, in the transaction that moves the cursor. Returns the events read.
 */
export async function consumeFreedTime(db: Kysely<DB>, now: number): Promise<number> {
  return consumeBookingEvents(db, CONSUMER, async (trx, events) => {
    const freeing = events.filter(FREES_TIME);
    if (freeing.length === 0) return;
    const rows = await bookingFacts(trx)
      .where(
        'id',
        'in',
        freeing.map((e) => e.bookingId),
      )
      .execute();
    const lastEvent = freeing.at(-1)!.id;
    for (const therapist of new Set(rows.map((r) => r.therapist_id)))
      await announceFreedTime(trx, therapist, now, `event:${lastEvent}`);
  });
}
