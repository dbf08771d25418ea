import { describe, expect, it } from 'vitest';
import { type SessionNote, sessionNoteSchema } from './session-note.js';

const valid: SessionNote = {
  painBefore: [{ region: 'hamstrings.left', score: 6 }],
  findings: {
    palpation: [
      { kind: 'trigger_point', region: 'glutes.left', muscle: 'gluteus_minimus', note: 'refers down the outer thigh' },
      { kind: 'knot', region: 'hamstrings.left', muscle: 'biceps_femoris' },
    ],
    rangeOfMotion: [
      { test: 'ake', side: 'left', trials: [34] },
      { test: 'slr', side: 'left', trials: [58, 62] },
      { test: 'sit_and_reach', side: null, trials: [30, 32.5, 31] },
    ],
  },
  regionsWorked: [
    {
      region: 'hamstrings.left',
      techniques: ['stripping', 'trigger_point_compression'],
      tools: ['forearm', 'elbow'],
      maxPressure: 4,
      minutes: 25,
    },
    { region: 'glutes.left', techniques: ['direct_pressure'], tools: ['forearm'], maxPressure: 3, minutes: 10 },
  ],
  painAfter: [{ region: 'hamstrings.left', score: 3 }],
  assessment: 'Less tone in the lateral hamstring.',
  plan: 'Weekly for 4 weeks.',
  freeText: '',
};

/** The custom code (or zod's own) and path of each issue, as the API will report them. */
function issuesOf(input: unknown) {
  const result = sessionNoteSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: issue.path.join('.'),
    code: (issue as { params?: { code?: string } }).params?.code ?? issue.code,
  }));
}

describe('sessionNoteSchema', () => {
  it('accepts a complete note', () => {
    expect(issuesOf(valid)).toEqual([]);
  });

  it('requires at least one region worked and keeps scores on their scales', () => {
    expect(issuesOf({ ...valid, regionsWorked: [] })).toEqual([{ path: 'regionsWorked', code: 'too_small' }]);
    expect(issuesOf({ ...valid, painBefore: [{ region: 'hamstrings.left', score: 11 }] })).toEqual([
      { path: 'painBefore.0.score', code: 'too_big' },
    ]);
    const harder = { ...valid.regionsWorked[0]!, maxPressure: 6 };
    expect(issuesOf({ ...valid, regionsWorked: [harder] })).toEqual([
      { path: 'regionsWorked.0.maxPressure', code: 'too_big' },
    ]);
  });

  it('accepts only region references of the body map', () => {
    expect(issuesOf({ ...valid, painAfter: [{ region: 'hamstrings', score: 2 }] })).toEqual([
      { path: 'painAfter.0.region', code: 'unknown_region' },
    ]);
    expect(issuesOf({ ...valid, painAfter: [{ region: 'abdomen.left', score: 2 }] })).toEqual([
      { path: 'painAfter.0.region', code: 'unknown_region' },
    ]);
  });

  it('requires the muscle of a finding to belong to its region', () => {
    const wrong = {
      ...valid,
      findings: { ...valid.findings, palpation: [{ kind: 'knot', region: 'hamstrings.right', muscle: 'soleus' }] },
    };
    expect(issuesOf(wrong)).toEqual([{ path: 'findings.palpation.0.muscle', code: 'muscle_not_in_region' }]);
  });

  it('checks range-of-motion tests: side, number of trials, readings in range, no repeats', () => {
    const rom = (rangeOfMotion: unknown[]) => ({ ...valid, findings: { ...valid.findings, rangeOfMotion } });
    expect(issuesOf(rom([{ test: 'ake', side: null, trials: [30] }]))).toEqual([
      { path: 'findings.rangeOfMotion.0.side', code: 'side_required' },
    ]);
    expect(issuesOf(rom([{ test: 'sit_and_reach', side: 'left', trials: [30, 31, 32] }]))).toEqual([
      { path: 'findings.rangeOfMotion.0.side', code: 'side_not_allowed' },
    ]);
    expect(issuesOf(rom([{ test: 'slr', side: 'right', trials: [60] }]))).toEqual([
      { path: 'findings.rangeOfMotion.0.trials', code: 'wrong_trial_count' },
    ]);
    expect(issuesOf(rom([{ test: 'ake', side: 'right', trials: [95] }]))).toEqual([
      { path: 'findings.rangeOfMotion.0.trials', code: 'out_of_range' },
    ]);
    expect(
      issuesOf(
        rom([
          { test: 'ake', side: 'right', trials: [30] },
          { test: 'ake', side: 'right', trials: [28] },
        ]),
      ),
    ).toEqual([{ path: 'findings.rangeOfMotion.1.test', code: 'duplicate_entry' }]);
  });

  it('refuses the same region twice in a list, repeated techniques and unknown fields', () => {
    const twice = { ...valid, regionsWorked: [valid.regionsWorked[0]!, valid.regionsWorked[0]!] };
    expect(issuesOf(twice)).toEqual([{ path: 'regionsWorked.1.region', code: 'duplicate_region' }]);
    const repeated = { ...valid.regionsWorked[0]!, techniques: ['stripping', 'stripping'] };
    expect(issuesOf({ ...valid, regionsWorked: [repeated] })).toEqual([
      { path: 'regionsWorked.0.techniques', code: 'duplicate_entry' },
    ]);
    expect(issuesOf({ ...valid, mood: 'great' })).toEqual([{ path: '', code: 'unrecognized_keys' }]);
    const unknownTechnique = { ...valid.regionsWorked[0]!, techniques: ['cupping'] };
    expect(issuesOf({ ...valid, regionsWorked: [unknownTechnique] })).toEqual([
      { path: 'regionsWorked.0.techniques.0', code: 'invalid_value' },
    ]);
  });
});
