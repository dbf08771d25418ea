import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, TEST_NOW, call, createOperator, startTestApp } from '../support/test-app.js';

let t: TestApp;
let operator: Session;
beforeAll(async () => {
  t = await startTestApp();
  operator = await createOperator(t);
});
afterAll(() => t.close());
beforeEach(() => t.clock.set(TEST_NOW));

/** Points a few km from Midtown, so each test can search its own corner of the city. */
const HARLEM = { lat: 40.8116, lng: -73.9465 };
const PARK_SLOPE = { lat: 40.671, lng: -73.9814 };

async function search(params: Record<string, string | number>) {
  const query = new URLSearchParams(
    Object.entries({ durationMin: 60, zone: 'America/New_York', radiusKm: 1, pageSize: 50, ...params }).map(
      ([k, v]): [string, string] => [k, String(v)],
    ),
  );
  const response = await call(t.app, null, { method: 'GET', url: `/api/availability?${query.toString()}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json<{
    total: number;
    results: {
      therapist: { id: string };
      earliest: string;
      distanceKm: number;
      offers: { place: { mode: string }; slots: string[]; moreSlots: boolean }[];
    }[];
  }>();
}

const localTimes = (slots: string[], zone: string) =>
  slots.map((s) =>
    new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
      new Date(s),
    ),
  );

describe('availability search', () => {
  it('filters by gender and specialty, and by the studio radius', async () => {
    const woman = await createTherapist(t, { gender: 'female', specialties: ['hamstrings'], studio: HARLEM }, operator);
    const man = await createTherapist(
      t,
      { gender: 'male', specialties: ['low_back'], studio: { lat: HARLEM.lat + 0.02, lng: HARLEM.lng } },
      operator,
    );
    const base = { from: '2026-11-24', to: '2026-11-24', mode: 'studio', lat: HARLEM.lat, lng: HARLEM.lng };
    expect((await search({ ...base, radiusKm: 1 })).results.map((r) => r.therapist.id)).toEqual([woman.id]);
    const wide = await search({ ...base, radiusKm: 5 });
    expect(wide.results.map((r) => r.therapist.id).sort()).toEqual([woman.id, man.id].sort());
    expect((await search({ ...base, radiusKm: 5, gender: 'male' })).results.map((r) => r.therapist.id)).toEqual([
      man.id,
    ]);
    expect(
      (await search({ ...base, radiusKm: 5, specialty: 'hamstrings' })).results.map((r) => r.therapist.id),
    ).toEqual([woman.id]);
    const byDistance = await search({ ...base, radiusKm: 5, sort: 'distance' });
    expect(byDistance.results[0]!.therapist.id).toBe(woman.id);
    expect(byDistance.results[1]!.distanceKm).toBeCloseTo(2.2, 1);
  });

  it('finds at-home therapists whose own radius covers the address', async () => {
    const mobile = await createTherapist(
      t,
      {
        studio: null,
        mobileArea: { ...PARK_SLOPE, radiusKm: 5 },
        hours: [2, 3].map((weekday) => ({ weekday, start: '10:00', end: '14:00', place: 'home' as const })),
      },
      operator,
    );
    const inside = await search({
      from: '2026-11-24',
      to: '2026-11-25',
      mode: 'home',
      lat: PARK_SLOPE.lat + 0.03,
      lng: PARK_SLOPE.lng,
    });
    const hit = inside.results.find((r) => r.therapist.id === mobile.id);
    expect(hit?.offers.map((o) => o.place)).toEqual([{ mode: 'home' }]);
    expect(localTimes(hit!.offers[0]!.slots, 'America/New_York').slice(0, 2)).toEqual(['10:00', '10:15']);
    const outside = await search({
      from: '2026-11-24',
      to: '2026-11-25',
      mode: 'home',
      lat: PARK_SLOPE.lat + 0.08,
      lng: PARK_SLOPE.lng,
    });
    expect(outside.results.map((r) => r.therapist.id)).not.toContain(mobile.id);
    const atStudio = await search({
      from: '2026-11-24',
      to: '2026-11-25',
      mode: 'studio',
      lat: PARK_SLOPE.lat,
      lng: PARK_SLOPE.lng,
      radiusKm: 3,
    });
    expect(atStudio.results.map((r) => r.therapist.id)).not.toContain(mobile.id);
  });

  it('sorts by earliest slot and paginates without repeating anybody', async () => {
    const spot = { lat: 40.7, lng: -74.1 };
    const late = await createTherapist(
      t,
      { studio: spot, hours: [{ weekday: 2, start: '15:00', end: '17:00', place: 'studio' }] },
      operator,
    );
    const early = await createTherapist(
      t,
      { studio: spot, hours: [{ weekday: 2, start: '08:00', end: '12:00', place: 'studio' }] },
      operator,
    );
    const middle = await createTherapist(
      t,
      { studio: spot, hours: [{ weekday: 2, start: '11:00', end: '17:00', place: 'studio' }] },
      operator,
    );
    const base = { from: '2026-11-24', to: '2026-11-24', mode: 'studio', lat: spot.lat, lng: spot.lng };
    const all = await search(base);
    expect(all.results.map((r) => r.therapist.id)).toEqual([early.id, middle.id, late.id]);
    const page1 = await search({ ...base, pageSize: 2, page: 1 });
    const page2 = await search({ ...base, pageSize: 2, page: 2 });
    expect(page1.total).toBe(3);
    expect([...page1.results, ...page2.results].map((r) => r.therapist.id)).toEqual([early.id, middle.id, late.id]);
    const capped = await search({ ...base, slotsPerTherapist: 3 });
    expect(capped.results[0]!.offers[0]).toMatchObject({ moreSlots: true });
    expect(capped.results[0]!.offers[0]!.slots).toHaveLength(3);
  });

  it('narrows the search to one therapist, with the same slots the open search gives them', async () => {
    const spot = { lat: 40.72, lng: -74.15 };
    const wanted = await createTherapist(
      t,
      { studio: spot, hours: [{ weekday: 2, start: '10:00', end: '12:00', place: 'studio' }] },
      operator,
    );
    const other = await createTherapist(
      t,
      { studio: spot, hours: [{ weekday: 2, start: '08:00', end: '12:00', place: 'studio' }] },
      operator,
    );
    const base = { from: '2026-11-24', to: '2026-11-24', mode: 'studio', lat: spot.lat, lng: spot.lng };
    const open = await search(base);
    expect(open.results.map((r) => r.therapist.id)).toEqual([other.id, wanted.id]);
    const narrowed = await search({ ...base, therapistId: wanted.id });
    expect(narrowed.total).toBe(1);
    expect(narrowed.results).toEqual([open.results[1]]);
    expect((await search({ ...base, therapistId: other.id, radiusKm: 0.1, lat: spot.lat + 0.05 })).results).toEqual([]);
  });

  it('reads the date range in the client’s zone', async () => {
    const spot = { lat: 40.69, lng: -74.12 };
    const therapist = await createTherapist(
      t,
      { studio: spot, hours: [{ weekday: 2, start: '17:00', end: '21:00', place: 'studio' }] },
      operator,
    );
    const base = { mode: 'studio', lat: spot.lat, lng: spot.lng, from: '2026-11-24', to: '2026-11-24' };
    const inNewYork = await search(base);
    expect(inNewYork.results.find((r) => r.therapist.id === therapist.id)?.offers[0]!.slots).toHaveLength(13);
    // 19:00 New York on Tuesday is already Wednesday in London, so a Londoner's Tuesday ends at 18:45 New York time.
    const inLondon = await search({ ...base, zone: 'Europe/London' });
    expect(
      localTimes(
        inLondon.results.find((r) => r.therapist.id === therapist.id)!.offers[0]!.slots,
        'America/New_York',
      ).at(-1),
    ).toBe('18:45');
  });
});

describe('daylight-saving days', () => {
  const everyDay = (start: string, end: string) =>
    [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end, place: 'studio' as const }));
  const cases = [
    { zone: 'America/New_York', date: '2027-03-14', change: 'spring forward' },
    { zone: 'America/New_York', date: '2027-11-07', change: 'fall back' },
    { zone: 'Europe/London', date: '2027-03-28', change: 'spring forward' },
    { zone: 'Europe/London', date: '2027-10-31', change: 'fall back' },
  ];
  for (const [i, c] of cases.entries()) {
    it(`keeps 09:00–17:00 as 09:00–17:00 in ${c.zone} on ${c.date} (${c.change})`, async () => {
      t.clock.set(Date.parse(`${c.date}T00:00:00Z`) - 3 * 86_400_000);
      const spot = { lat: 40.6 - i * 0.05, lng: -74.3 };
      const therapist = await createTherapist(t, { zone: c.zone, studio: spot, hours: everyDay('09:00', '17:00') });
      const result = await search({
        mode: 'studio',
        lat: spot.lat,
        lng: spot.lng,
        from: c.date,
        to: c.date,
        zone: c.zone,
        slotsPerTherapist: 100,
      });
      const slots = result.results.find((r) => r.therapist.id === therapist.id)!.offers[0]!.slots;
      const times = localTimes(slots, c.zone);
      expect(times[0]).toBe('09:00');
      expect(times.at(-1)).toBe('16:00');
      expect(times).toHaveLength(29);
      expect(
        new Set(slots.map((s) => new Intl.DateTimeFormat('en-CA', { timeZone: c.zone }).format(new Date(s)))),
      ).toEqual(new Set([c.date]));
    });
  }
});
