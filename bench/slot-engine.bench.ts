/**
 * Slot engine benchmark: `npx tsx bench/slot-engine.bench.ts`.
 * (1) one therapist with realistic rules and 40 bookings over 14 days: median µs per therapist-fortnight for a
 *     stateless call (target <= 5 µs), with the working hours parsed once as the calendar keeps them, and paired
 *     sample by sample against the same call parsing the 'HH:MM' texts anew (the engine before issue 19);
 * (2) 10,000 generated therapists in five zones, total seconds on one core, data generation excluded.
 */
import { checkTarget, record } from './lib/record.js';
import {
  epochDayFromIsoDate,
  hhMmFromMinuteOfDay as hhmm,
  type IsoWeekday,
  isoDateFromEpochDay,
} from '../src/scheduling/engine/calendar-date.js';
import { availableSlots, type BusyInterval, type SlotQuery } from '../src/scheduling/engine/slots.js';
import type { GeoPoint } from '../src/scheduling/engine/travel.js';
import { type DateOverride, prepareHours, type WeeklyRule } from '../src/scheduling/engine/working-hours.js';
import { localToInstant } from '../src/scheduling/engine/zoned-time.js';

const DAY = 86_400_000;
const START_DATE = '2026-03-02'; // a Monday; the 14 days include the US spring-forward date
const BOOKINGS = 40;
const ZONES = ['Europe/London', 'America/New_York', 'America/Los_Angeles', 'Australia/Sydney', 'Asia/Kolkata'];

/** Mulberry32: small, fast and deterministic, so every run benchmarks the same therapists. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Therapist {
  zone: string;
  studio: GeoPoint;
  weekly: WeeklyRule[];
  overrides: DateOverride[];
  busy: BusyInterval[];
}

/**
 * Split studio shifts on most weekdays, mobile afternoons on some, a day off, a partial day off and an
 * extra evening; 40 bookings at the studio or at clients' homes within a few km.
 */
function generateTherapist(random: () => number, zone: string): Therapist {
  const pick = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const studio = { lat: 51.5 + random() * 0.2, lng: -0.2 + random() * 0.2 };
  const studioKey = 'studio:1';
  const weekly: WeeklyRule[] = [];
  const workdays = 5 + pick(0, 1);
  for (let day = 1; day <= workdays; day++) {
    const weekday = day as IsoWeekday;
    const morning = pick(7, 10) * 60;
    weekly.push({ weekday, start: hhmm(morning), end: hhmm(morning + 180 + pick(0, 2) * 30), location: studioKey });
    weekly.push({ weekday, start: '13:30', end: hhmm(15 * 60 + pick(0, 4) * 30), location: studioKey });
    const mobileEnd = hhmm(18 * 60 + pick(0, 4) * 30);
    if (random() < 0.5) weekly.push({ weekday, start: '16:00', end: mobileEnd, location: 'mobile' });
  }
  const firstDay = epochDayFromIsoDate(START_DATE)!;
  const someDate = () => isoDateFromEpochDay(firstDay + pick(0, 13));
  const overrides: DateOverride[] = [
    { date: someDate(), kind: 'off' },
    { date: someDate(), kind: 'off', intervals: [{ start: '11:00', end: '14:00' }] },
    { date: someDate(), kind: 'extra', intervals: [{ start: '18:00', end: '21:00', location: studioKey }] },
  ];
  const busy: BusyInterval[] = [];
  for (let d = 0; d < 14; d++) {
    const day = firstDay + d;
    let cursor = 8 * 60 + pick(0, 8) * 15;
    // 40 bookings spread evenly over the 14 days.
    for (let i = Math.floor(((d + 1) * BOOKINGS) / 14) - Math.floor((d * BOOKINGS) / 14); i > 0; i--) {
      const length = 60 + pick(0, 2) * 30 + 20; // session plus its buffers
      const atHome = random() < 0.3;
      busy.push({
        start: localToInstant(zone, day, cursor),
        end: localToInstant(zone, day, cursor + length),
        point: atHome ? { lat: studio.lat + (random() - 0.5) * 0.1, lng: studio.lng + (random() - 0.5) * 0.1 } : studio,
      });
      cursor += length + pick(1, 8) * 15;
    }
  }
  return { zone, studio, weekly, overrides, busy };
}

function queryFor(therapist: Therapist): SlotQuery {
  const now = localToInstant(therapist.zone, epochDayFromIsoDate(START_DATE)!, 7 * 60);
  return {
    zone: therapist.zone,
    weekly: therapist.weekly,
    overrides: therapist.overrides,
    // Parsed once, as TherapistCalendar keeps it (calendarOf); the stateless call then never parses 'HH:MM'.
    hours: prepareHours(therapist.weekly, therapist.overrides),
    location: 'studio:1',
    point: therapist.studio,
    durationMin: 60,
    stepMin: 15,
    bufferBeforeMin: 10,
    bufferAfterMin: 10,
    travelSpeedKmh: 30,
    minNoticeMin: 120,
    windowDays: 28,
    now,
    from: now,
    to: now + 14 * DAY,
    busy: therapist.busy,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function benchOneTherapist(query: SlotQuery) {
  const slotCount = availableSlots(query).length;
  for (let i = 0; i < 5_000; i++) availableSlots(query);
  const callsPerSample = 50;
  const samples: number[] = [];
  for (let s = 0; s < 400; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < callsPerSample; i++) availableSlots(query);
    samples.push((secondsSince(start) * 1e6) / callsPerSample);
  }
  return { micros: median(samples), slotCount };
}

/** Samples of the two queries interleaved (A B A B ...), so machine noise hits both alike; ratio per pair. */
function benchPaired(prepared: SlotQuery, unparsed: SlotQuery) {
  const callsPerSample = 50;
  const timeOne = (query: SlotQuery) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < callsPerSample; i++) availableSlots(query);
    return (secondsSince(start) * 1e6) / callsPerSample;
  };
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let s = 0; s < 400; s++) {
    a.push(timeOne(prepared));
    b.push(timeOne(unparsed));
    ratios.push(a[s]! / b[s]!);
  }
  return { preparedMicros: median(a), unparsedMicros: median(b), ratio: median(ratios) };
}

function benchManyTherapists(count: number) {
  const random = seededRandom(42);
  const queries = Array.from({ length: count }, (_, i) =>
    queryFor(generateTherapist(random, ZONES[i % ZONES.length]!)),
  );
  const runs: number[] = [];
  let slotCount = 0;
  for (let run = 0; run < 5; run++) {
    slotCount = 0;
    const start = process.hrtime.bigint();
    for (const query of queries) slotCount += availableSlots(query).length;
    runs.push(secondsSince(start));
  }
  return { firstRunSeconds: runs[0]!, medianSeconds: median(runs), slotCount };
}

const therapist = queryFor(generateTherapist(seededRandom(1), 'Europe/London'));
const one = benchOneTherapist(therapist);
const unparsedQuery = { ...therapist, hours: undefined };
if (JSON.stringify(availableSlots(unparsedQuery)) !== JSON.stringify(availableSlots(therapist))) {
  throw new Error('parsed-once hours changed the slots');
}
for (let i = 0; i < 5_000; i++) availableSlots(unparsedQuery);
const paired = benchPaired(therapist, unparsedQuery);
// The same therapist with an empty diary: the most slots to emit, so the upper end of the cost.
const empty = benchOneTherapist({ ...therapist, busy: [] });
const many = benchManyTherapists(10_000);
const round = (value: number, digits: number) => Number(value.toFixed(digits));

record({
  name: 'slot-engine',
  metrics: {
    microsPerTherapistFortnight: round(one.micros, 2),
    pairedMicrosPerTherapistFortnight: round(paired.preparedMicros, 2),
    pairedUnparsedHoursMicros: round(paired.unparsedMicros, 2),
    pairedRatioParsedOnceToUnparsed: round(paired.ratio, 3),
    bookingsPerTherapist: BOOKINGS,
    oneTherapistSlots: one.slotCount,
    oneTherapistNoBookingsMicros: round(empty.micros, 2),
    oneTherapistNoBookingsSlots: empty.slotCount,
    tenThousandTherapistsSeconds: round(many.medianSeconds, 3),
    tenThousandTherapistsFirstRunSeconds: round(many.firstRunSeconds, 3),
    tenThousandTherapistsSlots: many.slotCount,
    zones: ZONES.join(', '),
  },
  targets: [
    checkTarget({ metric: 'microsPerTherapistFortnight', max: 5, unit: 'µs' }, round(one.micros, 2)),
    checkTarget({ metric: 'tenThousandTherapistsSeconds', max: 0.5, unit: 's' }, round(many.medianSeconds, 3)),
  ],
  notes: [
    '14 days from 2026-03-02 (US spring-forward on 2026-03-08 included), 60-min sessions, step 15, buffers 10/10, ' +
      'travel at 30 km/h, 2 h notice.',
    'One therapist (40 bookings, 14 days): a stateless availableSlots call with the working hours parsed once ' +
      '(prepareHours, as TherapistCalendar keeps them); median of 400 samples of 50 calls after 5,000 warm-up ' +
      'calls. Target <= 5 µs per therapist-fortnight (issue 19).',
    'Paired: the same call with the hours parsed once and with the HH:MM texts parsed on every call, samples ' +
      'interleaved; the ratio is the median of the per-pair ratios.',
    '10,000 therapists: median of 5 passes on one core, generation excluded; ' +
      'the first pass also pays for resolving each zone-day with Intl once.',
  ],
});
