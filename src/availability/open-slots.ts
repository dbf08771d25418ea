import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { type SlotQuery, slotsWithin } from '../scheduling/engine/slots.js';
import type { GeoPoint } from '../scheduling/engine/travel.js';
import { workingIntervals } from '../scheduling/engine/working-hours.js';
import type { Gender } from '../therapists/therapists-reads.js';
import { busyAt, placesFor } from './availability-search.js';
import { type CachedTherapist, loadCachedTherapists } from './calendar-loader.js';

const MINUTE = 60_000;

/** What a client looks for, as search has it, without the dates: the waitlist keeps it to look again later. */
export interface OpeningCriteria {
  durationMin: number;
  mode: 'studio' | 'home';
  point: GeoPoint;
  radiusKm: number;
  gender?: Gender | null;
  specialty?: string | null;
  /** Therapists kept apart from the client ("never" by either side). */
  keptApart?: ReadonlySet<string>;
}

export interface Opening {
  therapistId: string;
  displayName: string;
  place: { mode: 'studio'; studioId: string; name: string } | { mode: 'home' };
  timeZone: string;
  slots: number[];
}

/**
 * The therapists' calendars read straight from the database, in the caller's transaction (not search's per-instance
 * cache): what is free now, for work outside requests (the waitlist's offers), where every commit before the read
 * counts.
 */
export async function loadCalendarsFor(
  db: Kysely<DB> | Transaction<DB>,
  therapistIds: string[],
  now: number,
): Promise<CachedTherapist[]> {
  if (therapistIds.length === 0) return [];
  return [...(await loadCachedTherapists(db, { ids: therapistIds }, now)).values()];
}

/**
 * The free starts of one therapist for the criteria in [from, to), per place, by the slot engine search and booking
 * use (working hours and overrides, bookings and live holds, other calendars, buffers, travel, notice, window,
 * licence). `inWindow` narrows them further (a local daily range). Places without a start are left out.
 */
export function openingsOf(
  therapist: CachedTherapist,
  criteria: OpeningCriteria,
  span: (zone: string) => { from: number; to: number },
  inWindow: (zone: string, start: number) => boolean,
  now: number,
  stepMin: number,
): Opening[] {
  if (
    !therapist.services.has(criteria.durationMin) ||
    (criteria.gender && therapist.gender !== criteria.gender) ||
    (criteria.specialty && !therapist.specialties.includes(criteria.specialty)) ||
    criteria.keptApart?.has(therapist.id)
  )
    return [];
  const { calendar } = therapist;
  const openings: Opening[] = [];
  for (const place of placesFor(therapist, criteria)) {
    const { from, to } = span(place.zone);
    const end = Math.min(to, therapist.licenceEndsAt);
    if (from >= end) continue;
    const query: SlotQuery = {
      zone: calendar.zone,
      weekly: calendar.weekly,
      overrides: calendar.overrides,
      hours: calendar.hours,
      location: place.location,
      point: place.point,
      durationMin: criteria.durationMin,
      stepMin,
      bufferBeforeMin: calendar.bufferBeforeMin,
      bufferAfterMin: calendar.bufferAfterMin,
      travelSpeedKmh: calendar.travelSpeedKmh,
      minNoticeMin: calendar.minNoticeMin,
      windowDays: calendar.windowDays,
      now,
      from,
      to: end,
      busy: busyAt(therapist, now),
      busySorted: true,
    };
    const working = workingIntervals({
      ...calendar,
      location: place.location,
      from,
      to: end + criteria.durationMin * MINUTE,
    });
    const slots = slotsWithin(working, query).filter((start) => inWindow(place.zone, start));
    if (slots.length === 0) continue;
    openings.push({
      therapistId: therapist.id,
      displayName: therapist.displayName,
      place:
        place.place.mode === 'studio'
          ? { mode: 'studio', studioId: place.place.studioId, name: place.place.name }
          : { mode: 'home' },
      timeZone: place.zone,
      slots,
    });
  }
  return openings.sort((a, b) => a.slots[0]! - b.slots[0]!);
}
