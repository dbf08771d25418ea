import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPECIALTY_CODES } from '../domain/specialties.js';
import { hhMmFromMinuteOfDay, isoDateFromEpochDay } from '../scheduling/engine/calendar-date.js';
import { localToInstant } from '../scheduling/engine/zoned-time.js';
import type { GeoPoint } from '../scheduling/engine/travel.js';
import type { DateOverride, WeeklyRule } from '../scheduling/engine/working-hours.js';
import { type AvailabilityQuery, searchCalendars } from './availability-search.js';
import { CachedCalendars } from './cached-calendars.js';
import type { CachedTherapist } from './calendar-loader.js';
import { calendarOf, licenceEndsAt } from '../therapists/therapist-calendar.js';
import { MOBILE_LOCATION } from '../therapists/therapist-profile.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const KM_PER_DEGREE = 111.195;
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe'] as const;
/** A city, and a market astride the antimeridian. */
const CENTRES: GeoPoint[] = [
  { lat: 40.7549, lng: -73.984 },
  { lat: -17.8, lng: 179.97 },
];
/** Days around offset changes and ordinary ones. */
const BASE_DAYS = ['2026-03-06', '2026-10-30', '2026-04-03', '2026-11-23', '2026-09-25'].map(
  (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY,
);
const STEP_MIN = 15;

const offset = () => fc.tuple(fc.double({ min: -1, max: 1, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }));
const pointAt = (centre: GeoPoint, [north, east]: [number, number], km: number): GeoPoint => {
  const lat = centre.lat + (north * km) / KM_PER_DEGREE;
  const lng = centre.lng + (east * km) / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180));
  return { lat, lng: ((((lng + 180) % 360) + 360) % 360) - 180 };
};

const span = fc.tuple(fc.integer({ min: 0, max: 95 }), fc.integer({ min: 2, max: 56 })).map(([start, length]) => ({
  start: hhMmFromMinuteOfDay(start * 15),
  end: hhMmFromMinuteOfDay(Math.min(96, start + length) * 15),
}));

/** Places by index: 0-2 the therapist's studios (when they have that many), anything else their home visits. */
const spec = fc.record({
  zone: fc.constantFrom(...ZONES),
  market: fc.constantFrom('north', 'south'),
  gender: fc.constantFrom('female' as const, 'male' as const, 'nonbinary' as const),
  specialties: fc.subarray(SPECIALTY_CODES.slice(0, 3)),
  rating: fc.option(
    fc.record({ average: fc.double({ min: 1, max: 5, noNaN: true }), count: fc.integer({ min: 1, max: 60 }) }),
    { nil: null },
  ),
  studios: fc.array(offset(), { maxLength: 3 }),
  mobile: fc.option(fc.record({ at: offset(), radiusKm: fc.double({ min: 3, max: 40, noNaN: true }) }), {
    nil: null,
  }),
  rules: fc.array(fc.record({ weekday: fc.integer({ min: 1, max: 7 }), place: fc.integer({ min: 0, max: 3 }), span }), {
    maxLength: 12,
  }),
  overrides: fc.array(
    fc.record({
      day: fc.integer({ min: -1, max: 6 }),
      kind: fc.constantFrom('off' as const, 'extra' as const),
      place: fc.integer({ min: 0, max: 3 }),
      spans: fc.option(fc.array(span, { minLength: 1, maxLength: 2 }), { nil: null }),
    }),
    { maxLength: 3 },
  ),
  bufferBeforeMin: fc.constantFrom(0, 5, 15),
  bufferAfterMin: fc.constantFrom(0, 10, 15, 30),
  minNoticeMin: fc.constantFrom(0, 0, 60, 120, 1440, 2880),
  windowDays: fc.integer({ min: 1, max: 20 }),
  travelSpeedKmh: fc.constantFrom(10, 25, 60),
  licenceDays: fc.integer({ min: -1, max: 25 }),
  services: fc.oneof(
    { weight: 4, arbitrary: fc.subarray([90, 120]).map((more) => [60, ...more]) },
    { weight: 1, arbitrary: fc.subarray([60, 90, 120]) },
  ),
  bookings: fc.array(
    fc.record({
      day: fc.integer({ min: -1, max: 7 }),
      minute: fc.integer({ min: 0, max: 287 }),
      length: fc.integer({ min: 6, max: 36 }),
      place: fc.integer({ min: 0, max: 4 }),
      home: offset(),
      inWorkingHours: fc.boolean(),
    }),
    { maxLength: 25 },
  ),
  holds: fc.array(
    fc.record({
      day: fc.integer({ min: 0, max: 3 }),
      minute: fc.integer({ min: 0, max: 287 }),
      length: fc.integer({ min: 6, max: 24 }),
      expiresInMin: fc.integer({ min: -30, max: 180 }),
    }),
    { maxLength: 4 },
  ),
});
type Spec = typeof spec extends fc.Arbitrary<infer S> ? S : never;

function therapistOf(id: string, s: Spec, centre: GeoPoint, baseDay: number, startNow: number): CachedTherapist {
  const studios = s.studios.map((at, j) => ({
    id: `${id}-s${j}`,
    locationKey: `studio:${id}-s${j}`,
    name: `Studio ${j}`,
    address: `${j} Test Street`,
    point: pointAt(centre, at, 25),
    zone: s.zone,
  }));
  const place = (index: number) => studios[index]?.locationKey ?? MOBILE_LOCATION;
  const weekly: WeeklyRule[] = s.rules.map((r) => ({
    weekday: r.weekday as WeeklyRule['weekday'],
    location: place(r.place),
    ...r.span,
  }));
  const overrides: DateOverride[] = s.overrides.map((o) =>
    o.kind === 'off'
      ? { date: isoDateFromEpochDay(baseDay + o.day), kind: 'off', ...(o.spans ? { intervals: o.spans } : {}) }
      : {
          date: isoDateFromEpochDay(baseDay + o.day),
          kind: 'extra',
          intervals: (o.spans ?? [{ start: '06:00', end: '09:00' }]).map((x) => ({ ...x, location: place(o.place) })),
        },
  );
  const calendar = calendarOf(
    {
      user_id: id,
      time_zone: s.zone,
      weekly_hours: weekly,
      buffer_before_min: s.bufferBeforeMin,
      buffer_after_min: s.bufferAfterMin,
      min_notice_min: s.minNoticeMin,
      booking_window_days: s.windowDays,
      travel_speed_kmh: s.travelSpeedKmh,
      licence_expires_on: isoDateFromEpochDay(baseDay + s.licenceDays),
    },
    overrides,
  );
  const mobileArea = s.mobile ? { point: pointAt(centre, s.mobile.at, 25), radiusKm: s.mobile.radiusKm } : null;
  const interval = (day: number, minute: number, length: number) => {
    const start = (baseDay + day) * DAY + minute * 5 * MINUTE;
    return {
      start: start - s.bufferBeforeMin * MINUTE,
      end: start + length * 5 * MINUTE + s.bufferAfterMin * MINUTE,
    };
  };
  const localInterval = (day: number, minute: number, length: number) => {
    const start = localToInstant(s.zone, baseDay + day, 360 + (minute % 96) * 5);
    return {
      start: start - s.bufferBeforeMin * MINUTE,
      end: start + length * 5 * MINUTE + s.bufferAfterMin * MINUTE,
    };
  };
  const busy = s.bookings
    .map((b) => ({
      ...(b.inWorkingHours ? localInterval(b.day, b.minute, b.length) : interval(b.day, b.minute, b.length)),
      point: studios[b.place]?.point ?? (b.place === 4 ? null : pointAt(centre, b.home, 25)),
    }))
    .sort((a, b) => a.start - b.start);
  // Holds fall in the morning, local time, where they are most likely to be the earliest start someone would get.
  const holds = s.holds
    .map((h) => ({
      ...localInterval(h.day, h.minute, h.length),
      point: studios[0]?.point ?? null,
      expiresAt: startNow + h.expiresInMin * MINUTE,
    }))
    .sort((a, b) => a.start - b.start);
  return {
    id,
    displayName: `Therapist ${id}`,
    market: s.market,
    gender: s.gender,
    specialties: s.specialties,
    rating: s.rating ?? { average: null, count: 0 },
    photoUrl: null,
    calendar,
    licenceEndsAt: licenceEndsAt(calendar),
    services: new Map(s.services.map((d) => [d, { priceCents: d * 200, currency: 'USD' }])),
    studios,
    mobileArea,
    busy,
    holds,
  };
}

/** A value one time in four, else undefined. */
const rarely = <T>(value: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

const query = fc.record({
  at: offset(),
  mode: fc.constantFrom('studio' as const, 'home' as const),
  radiusKm: fc.oneof(fc.double({ min: 0.5, max: 60, noNaN: true }), fc.constantFrom(5, 10, 20)),
  durationMin: fc.constantFrom(60, 60, 60, 90, 120),
  fromDay: fc.integer({ min: -1, max: 3 }),
  days: fc.integer({ min: 0, max: 5 }),
  zone: fc.constantFrom(...ZONES),
  gender: rarely(fc.constantFrom('female' as const, 'male' as const)),
  specialty: rarely(fc.constantFrom(...SPECIALTY_CODES.slice(0, 3))),
  sort: fc.constantFrom('earliest' as const, 'rating' as const, 'distance' as const),
  page: fc.constantFrom(1, 1, 1, 2, 3),
  pageSize: fc.integer({ min: 1, max: 8 }),
  slotsPerTherapist: fc.integer({ min: 1, max: 6 }),
  only: rarely(fc.integer({ min: 0, max: 20 })),
  keptApart: fc.subarray([0, 1, 2, 3], { maxLength: 2 }),
});

const step = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('search' as const),
      q: query,
      minutesLater: fc.integer({ min: -60, max: 150 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('change' as const), who: fc.nat(), to: spec }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), who: fc.nat() }) },
  // The last search again, just after the next hold lapses, or just before the last one lapsed (a clock set back).
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('lapse' as const, 'rewind' as const) }) },
);

describe('search with its shortcuts (spatial index, market means, earliest start per day)', () => {
  it('answers as a visit of every therapist does, through searches, changes, lapsing holds and a moving clock', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CENTRES),
        fc.constantFrom(...BASE_DAYS),
        fc.integer({ min: 0, max: 95 }),
        fc.array(spec, { minLength: 1, maxLength: 24 }),
        fc.array(step, { minLength: 1, maxLength: 10 }),
        (centre, baseDay, quarter, specs, steps) => {
          let now = baseDay * DAY + quarter * 15 * MINUTE;
          const startNow = now;
          const therapists = new Map(
            specs.map((s, i) => [`t${i}`, therapistOf(`t${i}`, s, centre, baseDay, startNow)]),
          );
          const ids = [...therapists.keys()];
          const fast = new CachedCalendars({ shortcuts: true });
          const slow = new CachedCalendars({ shortcuts: false });
          fast.replaceAll(new Map(therapists));
          slow.replaceAll(new Map(therapists));
          let last: AvailabilityQuery | undefined;
          const expiries = () => [...therapists.values()].flatMap((t) => t.holds.map((h) => h.expiresAt));
          const same = (search: AvailabilityQuery) => {
            const expected = searchCalendars(slow, search, now, STEP_MIN);
            expect(searchCalendars(fast, search, now, STEP_MIN)).toEqual(expected);
            // Asked again at once, from what the first answer left cached.
            expect(searchCalendars(fast, search, now, STEP_MIN)).toEqual(expected);
            return expected;
          };
          for (const s of steps) {
            if (s.kind === 'lapse' || s.kind === 'rewind') {
              const times = expiries().filter((t) => (s.kind === 'lapse' ? t > now : t <= now));
              if (!last || times.length === 0) continue;
              now = s.kind === 'lapse' ? Math.min(...times) : Math.max(...times) - 1;
              same(last);
              continue;
            }
            if (s.kind === 'change' || s.kind === 'remove') {
              const id = ids[s.who % ids.length]!;
              const loaded = new Map<string, CachedTherapist>();
              if (s.kind === 'change') loaded.set(id, therapistOf(id, s.to, centre, baseDay, now));
              therapists.delete(id);
              for (const [key, t] of loaded) therapists.set(key, t);
              fast.replace([id], loaded);
              slow.replace([id], loaded);
              continue;
            }
            if (s.kind !== 'search') continue;
            now += s.minutesLater * MINUTE;
            const q = s.q;
            const search: AvailabilityQuery = {
              durationMin: q.durationMin,
              from: isoDateFromEpochDay(baseDay + q.fromDay),
              to: isoDateFromEpochDay(baseDay + q.fromDay + q.days),
              zone: q.zone,
              mode: q.mode,
              point: pointAt(centre, q.at, 30),
              radiusKm: q.radiusKm,
              ...(q.gender ? { gender: q.gender } : {}),
              ...(q.specialty ? { specialty: q.specialty } : {}),
              ...(q.only !== undefined ? { therapistId: `t${q.only}` } : {}),
              keptApart: new Set(q.keptApart.map((i) => `t${i}`)),
              sort: q.sort,
              page: q.page,
              pageSize: q.pageSize,
              slotsPerTherapist: q.slotsPerTherapist,
            };
            same(search);
            last = search;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it('offers a held start again as soon as the hold lapses, and not while it is live (a clock set back included)', () => {
    const centre = CENTRES[0]!;
    const baseDay = BASE_DAYS[3]!;
    const now = localToInstant('America/New_York', baseDay, 8 * 60);
    const nineTomorrow = localToInstant('America/New_York', baseDay + 1, 9 * 60);
    const therapist = therapistOf(
      't0',
      {
        zone: 'America/New_York',
        market: 'north',
        gender: 'female',
        specialties: [],
        rating: null,
        studios: [[0, 0]],
        mobile: null,
        rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, place: 0, span: { start: '09:00', end: '17:00' } })),
        overrides: [],
        bufferBeforeMin: 0,
        bufferAfterMin: 0,
        minNoticeMin: 60,
        windowDays: 14,
        travelSpeedKmh: 25,
        licenceDays: 30,
        services: [60],
        bookings: [],
        // 09:00-10:00 tomorrow (local minute 360 + 36 * 5), held until 20 minutes from now.
        holds: [{ day: 1, minute: 36, length: 12, expiresInMin: 20 }],
      },
      centre,
      baseDay,
      now,
    );
    const fast = new CachedCalendars({ shortcuts: true });
    fast.replaceAll(new Map([['t0', therapist]]));
    const search: AvailabilityQuery = {
      durationMin: 60,
      from: isoDateFromEpochDay(baseDay + 1),
      to: isoDateFromEpochDay(baseDay + 2),
      zone: 'America/New_York',
      mode: 'studio',
      point: therapist.studios[0]!.point,
      radiusKm: 1,
      sort: 'earliest',
      page: 1,
      pageSize: 10,
      slotsPerTherapist: 1,
    };
    const earliest = (at: number) => searchCalendars(fast, search, at, STEP_MIN).results[0]?.earliest;
    expect(earliest(now)).toBe(nineTomorrow + 60 * MINUTE);
    expect(earliest(now + 20 * MINUTE)).toBe(nineTomorrow);
    expect(earliest(now + 19 * MINUTE)).toBe(nineTomorrow + 60 * MINUTE);
    expect(earliest(now + 25 * MINUTE)).toBe(nineTomorrow);
  });

  it('finds the same earliest home visit as the engine, where travel between visits moves it', () => {
    // Busy mobile therapists: long days at home visits only, visits far apart at slow speeds, so the travel to
    // and from the client's address decides most days' first start.
    const busyMobile = spec.chain((base) =>
      fc
        .record({
          speed: fc.constantFrom(10, 25),
          bookings: fc.array(
            fc.record({
              day: fc.integer({ min: 0, max: 4 }),
              minute: fc.integer({ min: 0, max: 95 }),
              length: fc.integer({ min: 6, max: 24 }),
              home: offset(),
            }),
            { minLength: 4, maxLength: 20 },
          ),
        })
        .map(({ speed, bookings }): Spec => ({
          ...base,
          studios: [],
          mobile: { at: [0, 0], radiusKm: 40 },
          rules: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({
            weekday,
            place: 3,
            span: { start: '06:00', end: '20:00' },
          })),
          overrides: [],
          minNoticeMin: 0,
          windowDays: 14,
          travelSpeedKmh: speed,
          licenceDays: 30,
          services: [60, 90, 120],
          bookings: bookings.map((b) => ({ ...b, place: 3, inWorkingHours: true })),
        })),
    );
    const homeSearch = fc.record({
      at: offset(),
      durationMin: fc.constantFrom(60, 90, 120),
      fromDay: fc.integer({ min: 0, max: 3 }),
      days: fc.integer({ min: 0, max: 2 }),
      minutesLater: fc.integer({ min: 0, max: 600 }),
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...BASE_DAYS),
        fc.array(busyMobile, { minLength: 1, maxLength: 6 }),
        fc.array(homeSearch, { minLength: 2, maxLength: 8 }),
        (baseDay, specs, searches) => {
          const centre = CENTRES[0]!;
          let now = baseDay * DAY;
          const therapists = new Map(specs.map((s, i) => [`t${i}`, therapistOf(`t${i}`, s, centre, baseDay, now)]));
          const fast = new CachedCalendars({ shortcuts: true });
          const slow = new CachedCalendars({ shortcuts: false });
          fast.replaceAll(new Map(therapists));
          slow.replaceAll(new Map(therapists));
          for (const q of searches) {
            now += q.minutesLater * MINUTE;
            const search: AvailabilityQuery = {
              durationMin: q.durationMin,
              from: isoDateFromEpochDay(baseDay + q.fromDay),
              to: isoDateFromEpochDay(baseDay + q.fromDay + q.days),
              zone: 'America/New_York',
              mode: 'home',
              point: pointAt(centre, q.at, 20),
              radiusKm: 1,
              sort: 'earliest',
              page: 1,
              pageSize: 10,
              slotsPerTherapist: 3,
            };
            expect(searchCalendars(fast, search, now, STEP_MIN)).toEqual(searchCalendars(slow, search, now, STEP_MIN));
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
