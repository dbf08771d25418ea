import { describe, expect, it } from 'vitest';
import { screeningLimitsOf } from '../../domain/screening-exceedances.js';
import type { SessionNote } from '../../care/engine/session-note.js';
import {
  changedNoteFields,
  missingReasons,
  noteExceedances,
  noteMeasurements,
  painBeforeProblems,
  reasonsForUnworkedRegions,
} from './note-rules.js';

const note = (overrides: Partial<SessionNote> = {}): SessionNote => ({
  painBefore: [{ region: 'calves.left', score: 6 }],
  findings: {
    palpation: [],
    rangeOfMotion: [
      { test: 'slr', side: 'left', trials: [58, 62] },
      { test: 'sit_and_reach', side: null, trials: [30, 33.5, 32] },
    ],
  },
  regionsWorked: [
    {
      region: 'calves.left',
      techniques: ['stripping', 'cross_fibre_friction'],
      tools: ['forearm'],
      maxPressure: 3,
      minutes: 15,
    },
    { region: 'back_of_knee.left', techniques: ['direct_pressure'], tools: ['thumb'], maxPressure: 1, minutes: 2 },
  ],
  painAfter: [{ region: 'calves.left', score: 3 }],
  assessment: '',
  plan: '',
  freeText: '',
  ...overrides,
});

const decision = {
  restrictions: [
    { region: 'calves.left', label: '', excluded: false, cap: 2 as const, ruleIds: ['varicose_veins.mild'] },
    { region: 'feet.left', label: '', excluded: true, cap: null, ruleIds: ['open_wound'] },
    { region: 'back_of_knee.left', label: '', excluded: false, cap: 1 as const, ruleIds: ['endangerment'] },
  ],
  techniqueLimits: [{ region: 'calves.left', technique: 'cross_fibre_friction' as const, ruleId: 'acute_injury' }],
};

describe('screeningLimitsOf', () => {
  it('turns the screening’s restrictions into caps, exclusions and techniques to avoid', () => {
    expect(screeningLimitsOf(decision)).toEqual({
      caps: { 'calves.left': 2, 'back_of_knee.left': 1 },
      excluded: ['feet.left'],
      avoidTechniques: [{ region: 'calves.left', technique: 'cross_fibre_friction' }],
    });
  });

  it('still holds every endangerment site to light pressure without a screening', () => {
    const limits = screeningLimitsOf(undefined);
    expect(limits.caps['back_of_knee.right']).toBe(1);
    expect(limits.caps['front_of_neck']).toBe(1);
    expect(limits.caps['calves.left']).toBeUndefined();
  });
});

describe('missingReasons', () => {
  it('points at what went beyond the limit in each region without a reason', () => {
    const n = note();
    const exceedances = noteExceedances(n, [], screeningLimitsOf(decision));
    expect(missingReasons(n, exceedances, []).map((p) => [p.field, p.message])).toEqual([
      [
        'note.regionsWorked.0.maxPressure',
        'Calf, left: worked at 3/5, above the screening cap of 2/5: give a reason in exceedanceReasons',
      ],
      [
        'note.regionsWorked.0.techniques',
        'Calf, left: cross-fibre (transverse) friction, which screening rules out there: give a reason in exceedanceReasons',
      ],
    ]);
    expect(
      missingReasons(n, exceedances, [{ region: 'calves.left', reason: 'Old scar tissue, client consented' }]),
    ).toEqual([]);
  });

  it('asks for a reason where the live record shows pressure past the screening, whatever the note says', () => {
    const limits = screeningLimitsOf(decision);
    const n = note({
      regionsWorked: [
        { region: 'back_of_knee.left', techniques: ['direct_pressure'], tools: ['thumb'], maxPressure: 1, minutes: 2 },
      ],
    });
    const live = [
      { region: 'back_of_knee.left', highestPressureApplied: 3 },
      { region: 'feet.left', highestPressureApplied: 1 },
      { region: 'hamstrings.left', highestPressureApplied: 5 },
      { region: null, highestPressureApplied: null },
    ];
    const exceedances = noteExceedances(n, live, limits);
    expect(exceedances).toEqual([
      { region: 'back_of_knee.left', kind: 'pressure_above_cap', logged: 3, cap: 1, recordedIn: 'live' },
      { region: 'feet.left', kind: 'excluded_region_worked', logged: 1, recordedIn: 'live' },
    ]);
    expect(missingReasons(n, exceedances, []).map((p) => [p.field, p.message])).toEqual([
      [
        'note.regionsWorked.0.maxPressure',
        'Back of the knee, left: 3/5 applied during the session (live record), above the screening cap of 1/5: give a reason in exceedanceReasons',
      ],
      [
        'exceedanceReasons',
        'Foot, left: pressure applied during the session (live record) although screening excludes it: give a reason in exceedanceReasons',
      ],
    ]);
    // The note's own exceedance of the same kind stands for the region; the live one is not listed twice.
    const harder = note({
      regionsWorked: [
        { region: 'back_of_knee.left', techniques: ['direct_pressure'], tools: ['thumb'], maxPressure: 2, minutes: 2 },
      ],
    });
    expect(noteExceedances(harder, live, limits).map((e) => [e.region, e.recordedIn])).toEqual([
      ['back_of_knee.left', 'note'],
      ['feet.left', 'live'],
    ]);
  });

  it('refuses reasons for regions that were not worked, in the note or during the session', () => {
    expect(reasonsForUnworkedRegions(note(), [{ region: 'feet.left', reason: 'no reason needed here' }])).toEqual([
      {
        field: 'exceedanceReasons.0.region',
        code: 'region_not_worked',
        message: 'Foot, left is not among the regions worked',
      },
    ]);
    expect(
      reasonsForUnworkedRegions(note(), [{ region: 'feet.left', reason: 'Worked during the session' }], ['feet.left']),
    ).toEqual([]);
  });
});

describe('changedNoteFields', () => {
  it('names the parts an amendment changes, whatever the order of keys the note was stored with', () => {
    const before = note();
    const reordered = JSON.parse(
      JSON.stringify({
        freeText: '',
        plan: '',
        assessment: '',
        painAfter: before.painAfter,
        regionsWorked: before.regionsWorked,
        findings: before.findings,
        painBefore: before.painBefore,
      }),
    );
    expect(changedNoteFields({ note: before, reasons: [] }, { note: reordered, reasons: [] })).toEqual([]);
    expect(
      changedNoteFields(
        { note: before, reasons: [] },
        {
          note: note({ assessment: 'Calf softer', painAfter: [] }),
          reasons: [{ region: 'calves.left', reason: 'Agreed with the client' }],
        },
      ),
    ).toEqual(['painAfter', 'assessment', 'exceedanceReasons']);
  });
});

describe('painBeforeProblems', () => {
  it('holds pain before to what the client reported for the session, region by region', () => {
    const n = note({
      painBefore: [
        { region: 'calves.left', score: 6 },
        { region: 'calves.right', score: 4 },
        { region: 'low_back.left', score: 5 },
      ],
    });
    expect(
      painBeforeProblems(
        n,
        new Map([
          ['calves.left', 6],
          ['calves.right', 3],
        ]),
      ),
    ).toEqual([
      {
        field: 'note.painBefore.1.score',
        code: 'pain_differs_from_report',
        message: 'Calf, right: the client reported 3/10 for this session, not 4/10',
      },
      {
        field: 'note.painBefore.2.region',
        code: 'pain_not_reported',
        message: 'Low back, left: the client did not report pain here for this session; leave it out of the note',
      },
    ]);
  });

  it('accepts a note that leaves out regions, or has no pain before at all', () => {
    expect(
      painBeforeProblems(
        note(),
        new Map([
          ['calves.left', 6],
          ['feet.left', 2],
        ]),
      ),
    ).toEqual([]);
    expect(painBeforeProblems(note({ painBefore: [] }), new Map())).toEqual([]);
  });
});

describe('noteMeasurements', () => {
  it('takes the range-of-motion tests, valued from their trials, and never pain (the client’s own report stands)', () => {
    expect(noteMeasurements(note())).toEqual([
      { measure: 'slr', key: 'left', value: 60, detail: { trials: [58, 62] } },
      { measure: 'sit_and_reach', key: null, value: 33.5, detail: { trials: [30, 33.5, 32] } },
    ]);
  });
});
