import { describe, expect, it } from 'vitest';
import { REGION_REFS } from '../../../../src/domain/body-regions';
import type { TherapistProfile } from './api-types';
import {
  type PendingSlot,
  checkPendingPlace,
  pendingSlotFromParams,
  pendingSlotOfNext,
  pendingSlotPath,
} from './pending-slot';

const THERAPIST = '0b6f7c4e-3f0e-4a51-9c2e-6d1f0a9b8c71';
const STUDIO = '5d2a1e9c-7b3f-4c8d-a1e2-3f4b5c6d7e8f';

const atStudio: PendingSlot = {
  therapistId: THERAPIST,
  durationMin: 90,
  start: '2026-11-24T14:30:00.000Z',
  zone: 'America/New_York',
  place: { mode: 'studio', studioId: STUDIO },
  focusRegions: null,
};
const atHome: PendingSlot = {
  therapistId: THERAPIST,
  durationMin: 60,
  start: '2026-11-24T19:00:00.000Z',
  zone: 'America/New_York',
  place: { mode: 'home', address: '200 W 20th St, Apt 4 & 5', lat: 40.7429, lng: -73.9973 },
  focusRegions: ['hamstrings.left', 'low_back.right'],
};

const params = (path: string) => new URL(path, 'http://app.invalid').searchParams;
/** The studio slot's address with one parameter set to another value (or removed, with null). */
function tampered(key: string, value: string | null, slot = atStudio) {
  const p = params(pendingSlotPath(slot));
  if (value === null) p.delete(key);
  else p.set(key, value);
  return pendingSlotFromParams(p);
}

describe('the pending slot in an address', () => {
  it('comes back exactly as it went, at a studio or at home with a focus', () => {
    for (const slot of [atStudio, atHome]) {
      const path = pendingSlotPath(slot);
      expect(path.startsWith('/hold?')).toBe(true);
      expect(pendingSlotFromParams(params(path))).toEqual(slot);
    }
  });

  it('survives being the `next` of the sign-in page, through the sign-up link and the header', () => {
    const signIn = `/sign-in?next=${encodeURIComponent(pendingSlotPath(atHome))}`;
    const next = params(signIn).get('next');
    const signUp = `/sign-up?next=${encodeURIComponent(next!)}`;
    expect(pendingSlotOfNext(params(signUp).get('next'))).toEqual(atHome);
  });

  it('writes the start as the instant in UTC, whatever form it came in', () => {
    const path = pendingSlotPath({ ...atStudio, start: '2026-11-24T09:30:00-05:00' });
    expect(pendingSlotFromParams(params(path))?.start).toBe('2026-11-24T14:30:00.000Z');
  });

  it('is no slot when `next` leads anywhere else', () => {
    expect(pendingSlotOfNext(null)).toBeNull();
    expect(pendingSlotOfNext('/search?from=2026-11-24')).toBeNull();
    expect(pendingSlotOfNext(`https://elsewhere.example${pendingSlotPath(atStudio)}`)).toBeNull();
    expect(pendingSlotOfNext(`//elsewhere.example${pendingSlotPath(atStudio)}`)).toBeNull();
    expect(pendingSlotOfNext(`/holds${pendingSlotPath(atStudio).slice('/hold'.length)}`)).toBeNull();
  });

  it.each([
    ['therapist', 'not-a-uuid'],
    ['therapist', `${THERAPIST}' OR 1=1`],
    ['therapist', null],
    ['start', '2026-11-24T14:30:00Z'],
    ['start', '2026-02-30T14:30:00.000Z'],
    ['start', 'tomorrow'],
    ['start', null],
    ['zone', 'Mars/Olympus_Mons'],
    ['zone', '../../etc/passwd'],
    ['zone', null],
    ['duration', '45'],
    ['duration', '60.0'],
    ['duration', null],
    ['studio', 'studio-1'],
    ['studio', null],
    ['focus', 'hamstrings.middle'],
    ['focus', 'hamstrings.left,hamstrings.left'],
    ['focus', ''],
    ['focus', REGION_REFS.slice(0, 21).join(',')],
  ])('is refused when %s is %j', (key, value) => {
    expect(tampered(key, value)).toBeNull();
  });

  it('is refused with two places, or a home without its point or a real address', () => {
    expect(tampered('address', '1 Main St')).toBeNull();
    expect(tampered('lat', '40.7')).toBeNull();
    expect(tampered('lat', null, atHome)).toBeNull();
    expect(tampered('lng', '-200', atHome)).toBeNull();
    expect(tampered('lat', '4e1', atHome)).toBeNull();
    expect(tampered('lat', 'NaN', atHome)).toBeNull();
    expect(tampered('address', '  ', atHome)).toBeNull();
    expect(tampered('address', 'x'.repeat(301), atHome)).toBeNull();
  });

  it('ignores parameters it does not write', () => {
    const p = params(pendingSlotPath(atStudio));
    p.set('utm_source', 'newsletter');
    expect(pendingSlotFromParams(p)).toEqual(atStudio);
  });
});

describe('where the pending slot happens, checked against the therapist', () => {
  const therapist = {
    displayName: 'Dana Whitfield',
    services: [{ durationMin: 60 }, { durationMin: 90 }],
    studios: [
      {
        id: STUDIO,
        name: 'Midtown Studio',
        address: '1 Test Street, New York',
        lat: 40.75,
        lng: -73.98,
        timeZone: 'America/Chicago',
      },
    ],
    mobileArea: { label: null, lat: 40.75, lng: -73.98, radiusKm: 8 },
  } as TherapistProfile;

  it('names the session, the studio and its address, or the home address, with the point to search around and the zone to show the time in (the studio’s own)', () => {
    expect(checkPendingPlace(atStudio, therapist)).toEqual({
      words: 'Deep tissue, 90 min, at Midtown Studio, 1 Test Street, New York',
      lat: 40.75,
      lng: -73.98,
      zone: 'America/Chicago',
    });
    expect(checkPendingPlace(atHome, therapist)).toEqual({
      words: 'Deep tissue, 60 min, at your home: 200 W 20th St, Apt 4 & 5',
      lat: 40.7429,
      lng: -73.9973,
      zone: 'America/New_York',
    });
  });

  it('is null for a studio that is not theirs, a length they do not give, or a home visit they do not make', () => {
    expect(checkPendingPlace({ ...atStudio, place: { mode: 'studio', studioId: THERAPIST } }, therapist)).toBeNull();
    expect(checkPendingPlace({ ...atStudio, durationMin: 120 }, therapist)).toBeNull();
    expect(checkPendingPlace(atHome, { ...therapist, mobileArea: null })).toBeNull();
  });
});
