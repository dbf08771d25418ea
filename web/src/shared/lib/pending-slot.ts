/**
 * A time a person tapped but could not hold yet (they were signed out, or had no consultation). It travels through
 * sign-in, sign-up and the consultation as the address of the page that holds it, `/hold?therapist=…&start=…`,
 * usually inside those pages' `?next=`, so reloads, the back button and the header's sign-in links keep it.
 * Anything read back from an address is checked here: a malformed or tampered slot is null, and the person
 * searches again. Whether the therapist still offers it is the server's to say when the hold is placed.
 */
import { isTimeZone } from '../../../../src/domain/session-time';
import { isRegionRef } from '../../../../src/domain/body-regions';
import type { TherapistProfile } from './api-types';

export const HOLD_PATH = '/hold';

export type PendingPlace =
  { mode: 'studio'; studioId: string } | { mode: 'home'; address: string; lat: number; lng: number };

export interface PendingSlot {
  therapistId: string;
  durationMin: 60 | 90 | 120;
  /** The session's start, as the instant's ISO string in UTC (`2026-11-24T14:30:00.000Z`). */
  start: string;
  /** The IANA zone of the place, as search offered the time: the time is shown as local time there. */
  zone: string;
  place: PendingPlace;
  /** The body-map places the session should work on; null: those marked in the consultation. */
  focusRegions: string[] | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DECIMAL = /^-?\d{1,3}(\.\d{1,12})?$/;
const DURATIONS = { '60': 60, '90': 90, '120': 120 } as const;
/** As the hold's own schema allows (src/booking/booking-routes.ts). */
const ADDRESS_LENGTH = { min: 3, max: 300 };
const MAX_FOCUS = 20;

/** The address of the page that holds this slot. */
export function pendingSlotPath(slot: PendingSlot): string {
  const params = new URLSearchParams({
    therapist: slot.therapistId,
    start: new Date(slot.start).toISOString(),
    zone: slot.zone,
    duration: String(slot.durationMin),
  });
  if (slot.place.mode === 'studio') {
    params.set('studio', slot.place.studioId);
  } else {
    params.set('address', slot.place.address);
    params.set('lat', String(slot.place.lat));
    params.set('lng', String(slot.place.lng));
  }
  if (slot.focusRegions) params.set('focus', slot.focusRegions.join(','));
  return `${HOLD_PATH}?${params}`;
}

const instant = (value: string | null) => {
  if (!value) return null;
  const ms = Date.parse(value);
  // Only the exact form we write: no other zone, no rolled-over dates like February 30th.
  return Number.isFinite(ms) && new Date(ms).toISOString() === value ? value : null;
};

const coordinate = (value: string | null, limit: number) => {
  if (!value || !DECIMAL.test(value)) return null;
  const n = Number(value);
  return Math.abs(n) <= limit ? n : null;
};

function placeOf(params: URLSearchParams): PendingPlace | null {
  const studioId = params.get('studio');
  const address = params.get('address');
  if (studioId !== null) {
    const otherPlace = address !== null || params.has('lat') || params.has('lng');
    return UUID.test(studioId) && !otherPlace ? { mode: 'studio', studioId } : null;
  }
  const lat = coordinate(params.get('lat'), 90);
  const lng = coordinate(params.get('lng'), 180);
  const trimmed = address?.trim() ?? '';
  if (lat === null || lng === null || trimmed.length < ADDRESS_LENGTH.min || trimmed.length > ADDRESS_LENGTH.max)
    return null;
  return { mode: 'home', address: trimmed, lat, lng };
}

function focusOf(value: string | null): string[] | null | undefined {
  if (value === null) return null;
  const refs = value.split(',');
  const valid = refs.length <= MAX_FOCUS && refs.every(isRegionRef) && new Set(refs).size === refs.length;
  return valid ? refs : undefined;
}

/** The slot in a `/hold` page's query, or null when anything in it is missing or not what we write. */
export function pendingSlotFromParams(params: URLSearchParams): PendingSlot | null {
  const therapistId = params.get('therapist');
  const start = instant(params.get('start'));
  const zone = params.get('zone');
  const durationMin = DURATIONS[params.get('duration') as keyof typeof DURATIONS] ?? null;
  const place = placeOf(params);
  const focusRegions = focusOf(params.get('focus'));
  if (
    !therapistId ||
    !UUID.test(therapistId) ||
    !start ||
    !zone ||
    !isTimeZone(zone) ||
    !durationMin ||
    !place ||
    focusRegions === undefined
  )
    return null;
  return { therapistId, durationMin, start, zone, place, focusRegions };
}

/** The slot a `?next=` leads to, when it is a `/hold` page; null for any other destination. */
export function pendingSlotOfNext(next: string | null | undefined): PendingSlot | null {
  if (!next?.startsWith(`${HOLD_PATH}?`)) return null;
  return pendingSlotFromParams(new URL(next, 'http://app.invalid').searchParams);
}

export interface PendingPlaceCheck {
  /** "Deep tissue, 60 min, at Midtown Studio, 1 Test Street" */
  words: string;
  /** The studio's point, or the home's: where to look for the therapist's other open times. */
  lat: number;
  lng: number;
  /** The place's zone: a studio's from the therapist's profile, a home's as search gave it. */
  zone: string;
}

/**
 * Where the session happens, in words and as a point, checked against the therapist's public profile: null when
 * the studio is not one of theirs, they do not visit homes, or they do not give sessions of that length (a tampered
 * address, or their practice changed).
 */
export function checkPendingPlace(slot: PendingSlot, therapist: TherapistProfile): PendingPlaceCheck | null {
  if (!therapist.services.some((s) => s.durationMin === slot.durationMin)) return null;
  const session = `Deep tissue, ${slot.durationMin} min`;
  if (slot.place.mode === 'home') {
    const { address, lat, lng } = slot.place;
    return therapist.mobileArea ? { words: `${session}, at your home: ${address}`, lat, lng, zone: slot.zone } : null;
  }
  const { studioId } = slot.place;
  const studio = therapist.studios.find((s) => s.id === studioId);
  return studio
    ? {
        words: `${session}, at ${studio.name}, ${studio.address}`,
        lat: studio.lat,
        lng: studio.lng,
        zone: studio.timeZone,
      }
    : null;
}
