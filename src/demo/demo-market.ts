import type { Specialty } from '../domain/specialties.js';
import type { Gender } from '../therapists/therapists-reads.js';
import type { Neighbourhood } from '../therapists/markets.js';

/**
 * A deterministic market of therapists: the demo data (a few dozen) and the benchmarks (thousands) come from
 * the same generator, so what is measured is what users see. Pure: a seed in, plain data out.
 */

export const NEW_YORK = {
  id: 'nyc',
  name: 'New York City',
  timeZone: 'America/New_York',
  distanceUnit: 'mi' as const,
  // New York's licensed professions (massage therapy among them, Education Law art. 155) keep patient records at least
  // six years: 8 NYCRR § 29.2(a)(3), "all patient records must be retained for at least six years".
  noteRetentionYears: 6,
  center: { lat: 40.7306, lng: -73.9866 },
  neighbourhoods: [
    { name: 'Midtown', lat: 40.7549, lng: -73.984 },
    { name: 'Upper West Side', lat: 40.787, lng: -73.9754 },
    { name: 'Upper East Side', lat: 40.7736, lng: -73.9566 },
    { name: 'Harlem', lat: 40.8116, lng: -73.9465 },
    { name: 'Chelsea', lat: 40.7465, lng: -74.0014 },
    { name: 'Greenwich Village', lat: 40.7336, lng: -74.0027 },
    { name: 'SoHo', lat: 40.7233, lng: -74.003 },
    { name: 'Lower East Side', lat: 40.715, lng: -73.9843 },
    { name: 'Financial District', lat: 40.7075, lng: -74.0113 },
    { name: 'Williamsburg', lat: 40.7081, lng: -73.9571 },
    { name: 'Park Slope', lat: 40.671, lng: -73.9814 },
    { name: 'DUMBO', lat: 40.7033, lng: -73.9881 },
    { name: 'Fort Greene', lat: 40.6892, lng: -73.9742 },
    { name: 'Greenpoint', lat: 40.7305, lng: -73.9515 },
    { name: 'Bushwick', lat: 40.6944, lng: -73.9213 },
    { name: 'Astoria', lat: 40.7644, lng: -73.9235 },
    { name: 'Long Island City', lat: 40.7447, lng: -73.9485 },
    { name: 'Jackson Heights', lat: 40.7557, lng: -73.8831 },
    { name: 'Hoboken', lat: 40.744, lng: -74.0324 },
    { name: 'Jersey City', lat: 40.7178, lng: -74.0431 },
  ] satisfies Neighbourhood[],
};

export interface GeneratedHoursRule {
  weekday: number;
  start: string;
  end: string;
  /** Index into the therapist's studios, or 'home'. */
  place: number | 'home';
}

export interface GeneratedOverride {
  /** Days after the generation date. */
  dayOffset: number;
  kind: 'off' | 'extra';
  intervals: { start: string; end: string; place?: number | 'home' }[];
  note: string;
}

export interface GeneratedTherapist {
  email: string;
  displayName: string;
  gender: Gender;
  bio: string;
  licence: { number: string; region: string; expiresOn: string };
  specialties: Specialty[];
  timeZone: string;
  services: { durationMin: 60 | 90 | 120; priceCents: number; currency: string }[];
  studios: { name: string; address: string; lat: number; lng: number }[];
  mobileArea: { label: string; lat: number; lng: number; radiusKm: number } | null;
  weeklyHours: GeneratedHoursRule[];
  overrides: GeneratedOverride[];
  bufferBeforeMin: number;
  bufferAfterMin: number;
  minNoticeMin: number;
  bookingWindowDays: number;
  travelSpeedKmh: number;
  cancellation: { freeUntilHoursBefore: number; lateFeePercent: number };
}

/** Mulberry32: tiny, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST_NAMES: Record<Gender, string[]> = {
  female: [
    'Maya',
    'Priya',
    'Elena',
    'Grace',
    'Aisha',
    'Sofia',
    'Hannah',
    'Mei',
    'Laura',
    'Nadia',
    'Chloe',
    'Imani',
    'Rosa',
    'Yuki',
    'Zoe',
  ],
  male: [
    'Daniel',
    'Marcus',
    'Kenji',
    'Omar',
    'Luca',
    'Samuel',
    'Andre',
    'Tomás',
    'Ben',
    'Ravi',
    'Felix',
    'Jamal',
    'Noah',
    'Ivan',
    'Leo',
  ],
  nonbinary: ['Alex', 'Jordan', 'Riley', 'Sasha', 'Quinn', 'Rowan', 'Sky', 'Robin'],
};
const LAST_NAMES = [
  'Okafor',
  'Chen',
  'Rivera',
  'Novak',
  'Haddad',
  'Kowalski',
  'Patel',
  'Moreau',
  'Nakamura',
  'Silva',
  'Brennan',
  'Adeyemi',
  'Lindqvist',
  'Rossi',
  'Cohen',
  'Mensah',
  'Park',
  'Fischer',
  'Alvarez',
  'Dubois',
  'Tanaka',
  'Walsh',
  'Sato',
  'Ibrahim',
];
const STREETS = [
  'Broadway',
  'Bedford Ave',
  '5th Ave',
  'Atlantic Ave',
  'Court St',
  'Steinway St',
  'Washington St',
  'Grand St',
  'Lexington Ave',
  'Vernon Blvd',
];
const SPECIALTY_SETS: Specialty[][] = [
  ['hamstrings', 'sports'],
  ['low_back', 'trigger_point'],
  ['neck_shoulders', 'myofascial'],
  ['sports', 'hamstrings', 'trigger_point'],
  ['prenatal', 'low_back'],
  ['myofascial', 'low_back', 'neck_shoulders'],
  ['trigger_point', 'neck_shoulders'],
  ['hamstrings', 'low_back', 'sports', 'myofascial'],
];
/** Most therapists keep New York time; a few travelling therapists keep their home zone's calendar. */
const ZONES = [
  'America/New_York',
  'America/New_York',
  'America/New_York',
  'America/New_York',
  'America/New_York',
  'America/Chicago',
  'Europe/London',
  'America/Los_Angeles',
];
const ZONE_SHIFT_HOURS: Record<string, number> = {
  'America/New_York': 0,
  'America/Chicago': -1,
  'Europe/London': 5,
  'America/Los_Angeles': -3,
};

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

function shift(hhmm: string, hours: number): string {
  const minutes = Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)) + hours * 60;
  const clamped = Math.min(Math.max(minutes, 0), 24 * 60);
  return `${String(Math.floor(clamped / 60)).padStart(2, '0')}:${String(clamped % 60).padStart(2, '0')}`;
}

type Pattern = (random: () => number) => { studios: number; mobile: boolean; rules: GeneratedHoursRule[] };

const span = (days: number[], start: string, end: string, place: number | 'home') =>
  days.map((weekday) => ({ weekday, start, end, place }));

const PATTERNS: Pattern[] = [
  () => ({ studios: 1, mobile: false, rules: span([1, 2, 3, 4, 5], '09:00', '17:00', 0) }),
  () => ({
    studios: 1,
    mobile: true,
    rules: [...span([1, 2, 3, 4, 5, 6], '08:00', '12:00', 0), ...span([1, 2, 3, 4, 5], '14:00', '20:00', 'home')],
  }),
  () => ({
    studios: 0,
    mobile: true,
    rules: [...span([2, 3, 4, 5], '16:00', '21:00', 'home'), ...span([6, 7], '10:00', '18:00', 'home')],
  }),
  () => ({
    studios: 2,
    mobile: false,
    rules: [...span([1, 3, 5], '10:00', '18:00', 0), ...span([2, 4], '12:00', '20:00', 1)],
  }),
  () => ({ studios: 1, mobile: false, rules: span([1, 2, 3, 4, 5], '06:30', '14:00', 0) }),
  (random) => ({
    studios: 1,
    mobile: true,
    rules: [...span([1, 2, 4], '11:00', '19:00', 0), ...span([6], random() < 0.5 ? '09:00' : '10:00', '15:00', 'home')],
  }),
];

function pointNear(random: () => number, centre: { lat: number; lng: number }, km: number) {
  const r = km * Math.sqrt(random());
  const angle = random() * 2 * Math.PI;
  return {
    lat: Math.round((centre.lat + (r * Math.cos(angle)) / 111.32) * 1e5) / 1e5,
    lng:
      Math.round((centre.lng + (r * Math.sin(angle)) / (111.32 * Math.cos((centre.lat * Math.PI) / 180))) * 1e5) / 1e5,
  };
}

export function generateTherapists(options: {
  count: number;
  seed: number;
  today: string;
  emailDomain?: string;
  spreadKm?: number;
}): GeneratedTherapist[] {
  const random = seededRandom(options.seed);
  const domain = options.emailDomain ?? 'knotwork.test';
  const expiry = `${Number(options.today.slice(0, 4)) + 2}${options.today.slice(4)}`;
  const therapists: GeneratedTherapist[] = [];
  for (let i = 0; i < options.count; i++) {
    const gender: Gender = i % 9 === 8 ? 'nonbinary' : i % 2 === 0 ? 'female' : 'male';
    const first = pick(random, FIRST_NAMES[gender]);
    const last = pick(random, LAST_NAMES);
    const zone = i === 0 ? 'America/New_York' : pick(random, ZONES);
    const pattern = i === 0 ? PATTERNS[1]!(random) : pick(random, PATTERNS)(random);
    const hood = pick(random, NEW_YORK.neighbourhoods);
    const studios = Array.from({ length: pattern.studios }, (_, n) => {
      const studioHood = n === 0 ? hood : pick(random, NEW_YORK.neighbourhoods);
      const point = options.spreadKm
        ? pointNear(random, NEW_YORK.center, options.spreadKm)
        : pointNear(random, studioHood, 0.8);
      return {
        name: `${last} Bodywork ${studioHood.name}`,
        address: `${10 + Math.floor(random() * 480)} ${pick(random, STREETS)}, ${studioHood.name}, NY`,
        ...point,
      };
    });
    const zoneShift = ZONE_SHIFT_HOURS[zone] ?? 0;
    const rules = pattern.rules.map((r) => ({ ...r, start: shift(r.start, zoneShift), end: shift(r.end, zoneShift) }));
    const base = options.spreadKm ? pointNear(random, NEW_YORK.center, options.spreadKm) : pointNear(random, hood, 1);
    const price60 = 9_000 + Math.floor(random() * 9) * 1_000;
    therapists.push({
      email: i === 0 ? `therapist@${domain}` : `therapist${i + 1}@${domain}`,
      displayName: `${first} ${last}`,
      gender,
      bio: `${first} has ${3 + Math.floor(random() * 15)} years of deep tissue practice in ${hood.name}.`,
      licence: {
        number: `NY-LMT-${String(100_000 + i * 37).padStart(6, '0')}`,
        region: 'New York State',
        expiresOn: expiry,
      },
      specialties: [...pick(random, SPECIALTY_SETS)],
      timeZone: zone,
      services: [
        { durationMin: 60, priceCents: price60, currency: 'USD' },
        { durationMin: 90, priceCents: Math.round(price60 * 1.45), currency: 'USD' },
        ...(random() < 0.6
          ? [{ durationMin: 120 as const, priceCents: Math.round(price60 * 1.9), currency: 'USD' }]
          : []),
      ],
      studios,
      mobileArea: pattern.mobile
        ? { label: `${hood.name} base`, ...base, radiusKm: 6 + Math.floor(random() * 10) }
        : null,
      weeklyHours: rules,
      overrides:
        random() < 0.3
          ? [{ dayOffset: 2 + Math.floor(random() * 10), kind: 'off', intervals: [], note: 'Day off' }]
          : random() < 0.2 && rules[0]
            ? [
                {
                  dayOffset: 1 + Math.floor(random() * 10),
                  kind: 'extra',
                  intervals: [
                    { start: shift('18:00', zoneShift), end: shift('21:00', zoneShift), place: rules[0].place },
                  ],
                  note: 'Extra evening',
                },
              ]
            : [],
      bufferBeforeMin: pick(random, [0, 0, 5, 10]),
      bufferAfterMin: pick(random, [10, 15, 15, 20]),
      minNoticeMin: pick(random, [60, 120, 240]),
      bookingWindowDays: pick(random, [30, 60, 90]),
      travelSpeedKmh: pick(random, [18, 22, 25]),
      cancellation: {
        freeUntilHoursBefore: pick(random, [12, 24, 24, 48]),
        lateFeePercent: pick(random, [25, 50, 50, 100]),
      },
    });
  }
  return therapists;
}
