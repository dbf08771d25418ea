import { describe, expect, it } from 'vitest';
import { toSoap } from './soap.js';

describe('toSoap', () => {
  it('maps the note onto Subjective, Objective, Assessment and Plan', () => {
    const soap = toSoap({
      painBefore: [{ region: 'hamstrings.left', score: 6 }],
      findings: {
        palpation: [
          { kind: 'trigger_point', region: 'glutes.left', muscle: 'gluteus_minimus', note: 'refers to the calf' },
        ],
        rangeOfMotion: [{ test: 'slr', side: 'left', trials: [58, 63] }],
      },
      regionsWorked: [
        {
          region: 'hamstrings.left',
          techniques: ['stripping', 'cross_fibre_friction'],
          tools: ['forearm', 'fingers'],
          maxPressure: 4,
          minutes: 20,
        },
      ],
      painAfter: [{ region: 'hamstrings.left', score: 3 }],
      assessment: 'Tone reduced.',
      plan: 'Weekly, 4 sessions.',
      freeText: 'Prefers the room warmer.',
    });
    expect(soap).toEqual({
      subjective: ['Pain before, Back of the thigh (hamstrings), left: 6/10'],
      objective: [
        'Trigger point: Gluteus minimus, Buttock, left (refers to the calf)',
        'Passive straight leg raise (left): 60.5°',
        'Worked Back of the thigh (hamstrings), left, 20 min: Stripping, Cross-fibre (transverse) friction; forearm, fingers; up to deep pressure (4/5)',
      ],
      assessment: ['Pain after, Back of the thigh (hamstrings), left: 3/10', 'Tone reduced.'],
      plan: ['Weekly, 4 sessions.'],
      otherNotes: 'Prefers the room warmer.',
    });
  });
});
