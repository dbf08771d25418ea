import { describe, expect, it } from 'vitest';
import { deskWorkerIntake, withConditions } from '../../intake/engine/intake-fixtures.test-support.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { generateAftercare } from './aftercare-generator.js';
import type { ClientCondition } from './client-conditions.js';
import { clientConditionsFromIntake } from './intake-conditions.js';

/** Tuesday 24 November 2026, 10:00 in New York (15:00 UTC): the session's start, in the client's zone. */
const SESSION = { at: Date.parse('2026-11-24T15:00:00Z'), zone: 'America/New_York' };

const cases: { name: string; intake: Intake; expected: ClientCondition[] }[] = [
  { name: 'no conditions', intake: deskWorkerIntake(), expected: [] },
  {
    name: 'a sprain two days ago, on the left ankle',
    intake: deskWorkerIntake({ injuries: [{ kind: 'sprain', regions: ['feet.left'], date: '2026-11-22' }] }),
    expected: [{ code: 'acute_injury', regions: ['feet.left'] }],
  },
  {
    name: 'a strain four days ago is no longer acute (the screening’s 72 hours, from the end of its day: 82 hours)',
    intake: deskWorkerIntake({ injuries: [{ kind: 'strain', regions: ['hamstrings.right'], date: '2026-11-20' }] }),
    expected: [],
  },
  {
    name: 'a strain three days ago with no time is still acute: its day ended 58 hours before the session',
    intake: deskWorkerIntake({ injuries: [{ kind: 'strain', regions: ['hamstrings.right'], date: '2026-11-21' }] }),
    expected: [{ code: 'acute_injury', regions: ['hamstrings.right'] }],
  },
  {
    name: 'a strain at 10:01 three days before is acute (71 h 59 min); one at 10:00 is not (72 h)',
    intake: deskWorkerIntake({
      injuries: [
        { kind: 'strain', regions: ['hamstrings.right'], date: '2026-11-21', time: '10:01' },
        { kind: 'strain', regions: ['hamstrings.left'], date: '2026-11-21', time: '10:00' },
      ],
    }),
    expected: [{ code: 'acute_injury', regions: ['hamstrings.right'] }],
  },
  {
    name: 'a fracture eight weeks ago is still acute; one thirteen weeks ago is not',
    intake: deskWorkerIntake({
      injuries: [
        { kind: 'fracture', regions: ['forearm.right'], date: '2026-09-29' },
        { kind: 'fracture', regions: ['shin.left'], date: '2026-08-20' },
      ],
    }),
    expected: [{ code: 'acute_injury', regions: ['forearm.right'] }],
  },
  {
    name: 'surgery eight weeks ago on the right knee, with its site; one a year ago drops out',
    intake: deskWorkerIntake({
      surgeries: [
        { date: '2026-09-29', regions: ['back_of_knee.right'], cancerRelated: false },
        { date: '2025-10-01', regions: ['abdomen'], cancerRelated: false },
      ],
    }),
    expected: [{ code: 'recent_surgery', regions: ['back_of_knee.right'] }],
  },
  {
    name: 'site conditions keep their sides',
    intake: withConditions({
      openWounds: { regions: ['shin.left'] },
      skinInfection: { regions: ['forearm.right'], widespread: false },
      rheumatoidArthritis: { flare: false, joints: ['hand.left', 'hand.right'] },
      osteoarthritis: { inflamedJoints: ['back_of_knee.left'] },
    }),
    expected: [
      { code: 'open_wound', regions: ['shin.left'] },
      { code: 'skin_infection', regions: ['forearm.right'] },
      { code: 'rheumatoid_arthritis', regions: ['hand.left', 'hand.right'] },
      { code: 'osteoarthritis', regions: ['back_of_knee.left'] },
    ],
  },
  {
    name: 'osteoarthritis with no inflamed joint asks nothing of aftercare',
    intake: withConditions({ osteoarthritis: { inflamedJoints: [] } }),
    expected: [],
  },
  {
    name: 'varicose veins where marked; neuropathy where marked or, unmarked, at its usual place',
    intake: withConditions({
      varicoseVeins: { severity: 'mild', regions: ['calves.right'] },
      diabetesNeuropathy: { reducedSensation: [] },
    }),
    expected: [{ code: 'varicose_veins', regions: ['calves.right'] }, { code: 'diabetes_neuropathy' }],
  },
  {
    name: 'neuropathy marked on the left foot',
    intake: withConditions({ diabetesNeuropathy: { reducedSensation: ['feet.left'] } }),
    expected: [{ code: 'diabetes_neuropathy', regions: ['feet.left'] }],
  },
  {
    name: 'a past clot',
    intake: withConditions({ dvtHistory: { resolvedOn: '2024-03-01', cancerRelated: false } }),
    expected: [{ code: 'dvt_history' }],
  },
  {
    name: 'blood pressure under control on a recent reading',
    intake: withConditions({ hypertension: { systolic: 135, diastolic: 85, measuredOn: '2026-11-01' } }),
    expected: [{ code: 'high_blood_pressure', controlled: true }],
  },
  {
    name: 'blood pressure at 160/90 is not under control',
    intake: withConditions({ hypertension: { systolic: 160, diastolic: 85, measuredOn: '2026-11-01' } }),
    expected: [{ code: 'high_blood_pressure', controlled: false }],
  },
  {
    name: 'a reading older than 90 days counts as unknown, so not under control',
    intake: withConditions({ hypertension: { systolic: 120, diastolic: 80, measuredOn: '2026-08-01' } }),
    expected: [{ code: 'high_blood_pressure', controlled: false }],
  },
  {
    name: 'every bleeding risk asks the care of blood thinners',
    intake: withConditions({ bleedingRisk: { causes: ['low_platelets'] } }),
    expected: [{ code: 'anticoagulants' }],
  },
  {
    name: 'whole-body conditions',
    intake: withConditions({
      osteoporosis: { severity: 'mild' },
      herniatedDisc: { levels: ['lumbar'] },
      cancer: { treatment: 'none', tumourSites: [], boneMetastasisSites: [], lymphoedemaRiskRegions: [] },
      kidneyFailure: true,
      fibromyalgia: true,
      pregnancy: { weeks: 20, asOf: '2026-11-01' },
    }),
    expected: [
      { code: 'osteoporosis' },
      { code: 'herniated_disc' },
      { code: 'cancer' },
      { code: 'kidney_failure' },
      { code: 'fibromyalgia' },
      { code: 'pregnancy' },
    ],
  },
];

describe('clientConditionsFromIntake', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(clientConditionsFromIntake(c.intake, SESSION)).toEqual(c.expected);
    });
  }

  it('counts an injury dated after the session as nothing yet', () => {
    expect(
      clientConditionsFromIntake(
        deskWorkerIntake({ injuries: [{ kind: 'sprain', regions: ['feet.left'], date: '2026-11-25' }] }),
        SESSION,
      ),
    ).toEqual([]);
  });

  it('counts an injury dated the session’s day without a time: it may have happened before the start', () => {
    expect(
      clientConditionsFromIntake(
        deskWorkerIntake({ injuries: [{ kind: 'sprain', regions: ['feet.left'], date: '2026-11-24' }] }),
        SESSION,
      ),
    ).toEqual([{ code: 'acute_injury', regions: ['feet.left'] }]);
  });

  it('refuses a session start that is not an instant', () => {
    expect(() => clientConditionsFromIntake(deskWorkerIntake(), { at: Number.NaN, zone: 'UTC' })).toThrow(RangeError);
  });

  it('feeds the generator: a fresh calf strain puts the precaution in and leaves calf exercises out, with why', () => {
    const conditions = clientConditionsFromIntake(
      deskWorkerIntake({ injuries: [{ kind: 'strain', regions: ['calves.left'], date: '2026-11-23' }] }),
      SESSION,
    );
    const draft = generateAftercare({
      note: {
        regionsWorked: [
          { region: 'calves.right', maxPressure: 3 },
          { region: 'hamstrings.left', maxPressure: 3 },
        ],
        sessionEndedAt: Date.UTC(2026, 10, 24, 20),
      },
      conditions,
      zone: 'America/New_York',
    });
    expect(draft.plan.sections.find((s) => s.id === 'precautions')?.items.map((i) => i.id)).toEqual([
      'precaution_acute_injury',
    ]);
    expect(draft.omitted.filter((o) => o.condition === 'acute_injury').map((o) => o.exerciseId)).toEqual(
      expect.arrayContaining([expect.stringMatching(/calf/)]),
    );
    expect(JSON.stringify(draft.plan)).not.toMatch(/"id":"calf_stretch/);
  });
});
