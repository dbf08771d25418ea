import { describe, expect, it } from 'vitest';
import { deskWorkerIntake, withConditions } from '../../intake/engine/intake-fixtures.test-support.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { localDateOf } from '../../domain/session-time.js';
import { WINDOWS } from './contraindication-catalogue.js';
import { eventInstant, hoursSince } from './event-time.js';
import { screen } from './screening-engine.js';

/**
 * Every window is elapsed time in hours from the event to the session's start, in the client's zone; an event without a
 * time of day is read at the end of its day (the strictest reading for a window that ends).
 */

const NEW_YORK = 'America/New_York';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (text: string) => Date.parse(text);

/** The rule ids a session starting at `startsAt` (in `zone`) is flagged with. */
function flagsAt(intake: Intake, startsAt: number, zone = NEW_YORK): string[] {
  const decision = screen(intake, {
    date: localDateOf(startsAt, zone),
    startsAt,
    timeZone: zone,
    regions: ['hamstrings.left', 'hamstrings.right'],
    pressure: 4,
  });
  return decision.flags.filter((f) => f.ruleId !== 'endangerment_sites').map((f) => f.ruleId);
}

const strain = (date: string, time?: string) =>
  deskWorkerIntake({
    injuries: [{ kind: 'strain', regions: ['hamstrings.left'], date, ...(time ? { time } : {}) }],
  });

describe('when an event happened, read the strictest way', () => {
  it('reads a date without a time as the end of that day (latest) or its start (earliest), in the zone', () => {
    expect(eventInstant({ date: '2026-11-20' }, NEW_YORK, 'latest')).toBe(iso('2026-11-21T05:00:00Z'));
    expect(eventInstant({ date: '2026-11-20' }, NEW_YORK, 'earliest')).toBe(iso('2026-11-20T05:00:00Z'));
    expect(eventInstant({ date: '2026-11-20' }, 'Asia/Tokyo', 'latest')).toBe(iso('2026-11-20T15:00:00Z'));
  });

  it('ends a date on the day clocks go forward after 23 hours, and on the day they go back after 25', () => {
    const start = (date: string) => eventInstant({ date }, NEW_YORK, 'earliest');
    const end = (date: string) => eventInstant({ date }, NEW_YORK, 'latest');
    expect((end('2026-03-08') - start('2026-03-08')) / HOUR).toBe(23);
    expect((end('2026-11-01') - start('2026-11-01')) / HOUR).toBe(25);
  });

  it('reads a time of day in the zone, the later of a repeated hour as latest, a skipped time as summer time', () => {
    expect(eventInstant({ date: '2026-11-20', time: '21:00' }, NEW_YORK, 'latest')).toBe(iso('2026-11-21T02:00:00Z'));
    // 01:30 on 1 November 2026 happens twice in New York: 01:30 EDT (05:30 UTC), then 01:30 EST (06:30 UTC).
    expect(eventInstant({ date: '2026-11-01', time: '01:30' }, NEW_YORK, 'latest')).toBe(iso('2026-11-01T06:30:00Z'));
    expect(eventInstant({ date: '2026-11-01', time: '01:30' }, NEW_YORK, 'earliest')).toBe(iso('2026-11-01T05:30:00Z'));
    // 02:30 on 8 March 2026 never happens in New York: read as 03:30 EDT, both ways.
    expect(eventInstant({ date: '2026-03-08', time: '02:30' }, NEW_YORK, 'latest')).toBe(iso('2026-03-08T07:30:00Z'));
    expect(eventInstant({ date: '2026-03-08', time: '02:30' }, NEW_YORK, 'earliest')).toBe(iso('2026-03-08T07:30:00Z'));
  });

  it('counts real hours up to the moment', () => {
    const moment = { at: iso('2026-11-23T14:00:00Z'), zone: NEW_YORK };
    expect(hoursSince({ date: '2026-11-20', time: '21:00' }, moment, 'latest')).toBe(60);
    expect(hoursSince({ date: '2026-11-20' }, moment, 'latest')).toBe(57);
  });
});

describe('the acute-injury window is 72 hours to the session’s start', () => {
  // [name, injury, session start (UTC), acute?]
  const table: [string, Intake, string, boolean][] = [
    ['no change of clocks: 71 h 59 min', strain('2026-11-20', '21:00'), '2026-11-24T01:59:00Z', true],
    ['no change of clocks: 72 h', strain('2026-11-20', '21:00'), '2026-11-24T02:00:00Z', false],
    // 21:00 EST on Saturday 7 March; clocks go forward on the 8th, so 72 hours later it is 22:00 EDT on the 10th.
    [
      'across the spring change: 21:00 EDT three days on is only 71 h',
      strain('2026-03-07', '21:00'),
      '2026-03-11T01:00:00Z',
      true,
    ],
    ['across the spring change: 21:59 EDT, 71 h 59 min', strain('2026-03-07', '21:00'), '2026-03-11T01:59:00Z', true],
    ['across the spring change: 22:00 EDT, 72 h', strain('2026-03-07', '21:00'), '2026-03-11T02:00:00Z', false],
    // 23:00 EDT on Saturday 31 October; clocks go back on 1 November, so 72 hours later it is 22:00 EST on the 3rd.
    ['across the autumn change: 21:59 EST, 71 h 59 min', strain('2026-10-31', '23:00'), '2026-11-04T02:59:00Z', true],
    ['across the autumn change: 22:00 EST, 72 h', strain('2026-10-31', '23:00'), '2026-11-04T03:00:00Z', false],
    [
      'across the autumn change: 23:00 EST three days on is 73 h',
      strain('2026-10-31', '23:00'),
      '2026-11-04T04:00:00Z',
      false,
    ],
    // No time: from the end of the day. Friday's strain is acute until Monday's midnight (72 h after Friday's).
    ['date only: Monday 23:59, 71 h 59 min after Friday ended', strain('2026-11-20'), '2026-11-24T04:59:00Z', true],
    ['date only: Tuesday 00:00, 72 h after Friday ended', strain('2026-11-20'), '2026-11-24T05:00:00Z', false],
    [
      'date only: Monday morning, the weekend after a Friday strain',
      strain('2026-11-20'),
      '2026-11-23T14:00:00Z',
      true,
    ],
    // Saturday 7 March ends at 00:00 EST on the 8th; 72 hours later it is 01:00 EDT on the 11th.
    ['date only, across the spring change: 00:59 EDT', strain('2026-03-07'), '2026-03-11T04:59:00Z', true],
    ['date only, across the spring change: 01:00 EDT', strain('2026-03-07'), '2026-03-11T05:00:00Z', false],
  ];
  for (const [name, intake, start, acute] of table) {
    it(`${name}: ${acute ? 'acute' : 'no longer acute'}`, () => {
      expect(flagsAt(intake, iso(start))).toEqual(acute ? ['acute_injury'] : []);
    });
  }

  it('says when the injury happened, with its time', () => {
    const decision = screen(strain('2026-11-20', '21:00'), {
      date: '2026-11-23',
      startsAt: iso('2026-11-23T14:00:00Z'),
      timeZone: NEW_YORK,
      regions: ['hamstrings.left'],
      pressure: 4,
    });
    expect(decision.flags.find((f) => f.ruleId === 'acute_injury')).toMatchObject({
      facts: 'strain on 2026-11-20 at 21:00',
      sources: ['W-Sprain', 'W-Strain', 'KOS', 'OMB'],
    });
  });

  it('reads the client’s dates in the session’s zone: the same Friday ends at different instants', () => {
    const monday = iso('2026-11-24T03:30:00Z'); // 22:30 Monday in New York, 12:30 Tuesday in Tokyo
    expect(flagsAt(strain('2026-11-20'), monday, NEW_YORK)).toEqual(['acute_injury']); // 70.5 h
    expect(flagsAt(strain('2026-11-20'), monday, 'Asia/Tokyo')).toEqual([]); // 84.5 h
  });
});

describe('every other window is hours to the session’s start too', () => {
  const c = withConditions;
  const surgery = (date: string) =>
    deskWorkerIntake({ surgeries: [{ date, regions: ['hamstrings.left'], cancerRelated: false }] });
  // A date in UTC ends at the next midnight UTC; `weeks` after that instant, less a minute, and exactly.
  const afterEndOf = (date: string, hours: number, minutes = 0) =>
    Date.parse(`${date}T00:00:00Z`) + 24 * HOUR + hours * HOUR + minutes * MINUTE;
  const table: [string, Intake, number, string[]][] = [
    [
      'surgery, 6 weeks less a minute',
      surgery('2026-09-01'),
      afterEndOf('2026-09-01', WINDOWS.surgeryHealingHours, -1),
      ['recent_surgery.healing'],
    ],
    [
      'surgery, 6 weeks',
      surgery('2026-09-01'),
      afterEndOf('2026-09-01', WINDOWS.surgeryHealingHours),
      ['recent_surgery.recovering'],
    ],
    [
      'surgery, 12 weeks less a minute',
      surgery('2026-09-01'),
      afterEndOf('2026-09-01', WINDOWS.surgeryRecoveringHours, -1),
      ['recent_surgery.recovering'],
    ],
    ['surgery, 12 weeks', surgery('2026-09-01'), afterEndOf('2026-09-01', WINDOWS.surgeryRecoveringHours), []],
    [
      'fracture, 12 weeks less a minute',
      deskWorkerIntake({ injuries: [{ kind: 'fracture', regions: ['shin.left'], date: '2026-09-01' }] }),
      afterEndOf('2026-09-01', WINDOWS.acuteFractureHours, -1),
      ['acute_fracture'],
    ],
    [
      'fracture, 12 weeks',
      deskWorkerIntake({ injuries: [{ kind: 'fracture', regions: ['shin.left'], date: '2026-09-01' }] }),
      afterEndOf('2026-09-01', WINDOWS.acuteFractureHours),
      [],
    ],
    [
      'heart attack, 6 weeks less a minute',
      c({ heartAttack: { date: '2026-09-01' } }),
      afterEndOf('2026-09-01', WINDOWS.heartAttackBlockedHours, -1),
      ['heart.recovering'],
    ],
    [
      'heart attack, 6 weeks',
      c({ heartAttack: { date: '2026-09-01' } }),
      afterEndOf('2026-09-01', WINDOWS.heartAttackBlockedHours),
      ['heart.clearance'],
    ],
    [
      'heart attack, a year less a minute',
      c({ heartAttack: { date: '2025-09-01' } }),
      afterEndOf('2025-09-01', WINDOWS.heartAttackClearanceHours, -1),
      ['heart.clearance'],
    ],
    [
      'heart attack, a year',
      c({ heartAttack: { date: '2025-09-01' } }),
      afterEndOf('2025-09-01', WINDOWS.heartAttackClearanceHours),
      [],
    ],
    [
      'cancer-related clot, 26 weeks less a minute',
      c({ dvtHistory: { resolvedOn: '2026-03-01', cancerRelated: true } }),
      afterEndOf('2026-03-01', WINDOWS.cancerClotHours, -1),
      ['dvt_history.cancer_related_recent'],
    ],
    [
      'cancer-related clot, 26 weeks',
      c({ dvtHistory: { resolvedOn: '2026-03-01', cancerRelated: true } }),
      afterEndOf('2026-03-01', WINDOWS.cancerClotHours),
      ['dvt_history.resolved'],
    ],
    // A reading goes stale from the START of its day (strictest: treated as unknown soonest): 90 days after it, to the minute.
    [
      'blood-pressure reading, exactly 90 days old',
      c({ hypertension: { systolic: 140, diastolic: 85, measuredOn: '2026-09-01' } }),
      afterEndOf('2026-09-01', WINDOWS.bloodPressureReadingHours - 24),
      [],
    ],
    [
      'blood-pressure reading, 90 days and a minute old',
      c({ hypertension: { systolic: 140, diastolic: 85, measuredOn: '2026-09-01' } }),
      afterEndOf('2026-09-01', WINDOWS.bloodPressureReadingHours - 24, 1),
      ['hypertension.no_recent_reading'],
    ],
    // Weeks of pregnancy also count from the start of the day they were given.
    [
      '12 weeks pregnant a week less a minute ago',
      c({ pregnancy: { weeks: 12, asOf: '2026-09-01' } }),
      afterEndOf('2026-09-01', 7 * 24 - 24, -1),
      ['pregnancy'],
    ],
    [
      '12 weeks pregnant a week ago: side-lying',
      c({ pregnancy: { weeks: 12, asOf: '2026-09-01' } }),
      afterEndOf('2026-09-01', 7 * 24 - 24),
      ['pregnancy', 'pregnancy.side_lying'],
    ],
  ];
  for (const [name, intake, startsAt, flags] of table) {
    it(`${name}: ${flags.join(', ') || 'nothing'}`, () => {
      expect(flagsAt(intake, startsAt, 'UTC').sort()).toEqual([...flags].sort());
    });
  }
});

describe('a planned session without a start time', () => {
  it('is measured from the start of its day in its zone, the earliest it could start', () => {
    const plan = {
      date: '2026-11-23',
      timeZone: NEW_YORK,
      regions: ['hamstrings.left' as const],
      pressure: 4 as const,
    };
    // A strain at 01:00 on Friday is 71 hours before Monday's midnight in New York: still acute then; one at 00:00 is not.
    expect(screen(strain('2026-11-20', '01:00'), plan).flags.map((f) => f.ruleId)).toContain('acute_injury');
    expect(screen(strain('2026-11-20', '00:00'), plan).flags.map((f) => f.ruleId)).not.toContain('acute_injury');
  });
});
