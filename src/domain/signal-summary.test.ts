import { describe, expect, it } from 'vitest';
import { type SummarySignal, summarizeSignals } from './signal-summary.js';

let seq = 0;
const pressure = (region: string, level: number): SummarySignal => ({ seq: ++seq, kind: 'pressure', level, region });
const say = (kind: 'less' | 'good' | 'more', region: string | null = null): SummarySignal => ({
  seq: ++seq,
  kind,
  level: null,
  region,
});
const discomfort = (level: number, region: string | null = null): SummarySignal => ({
  seq: ++seq,
  kind: 'discomfort',
  level,
  region,
});

describe('summarizeSignals', () => {
  it('accepts a level when the client last said good or more while it was worked, not when they said less', () => {
    const summary = summarizeSignals([
      pressure('hamstrings.left', 3),
      say('more'),
      pressure('hamstrings.left', 4),
      say('good'),
      pressure('hamstrings.left', 5),
      say('good'),
      say('less'),
      pressure('hamstrings.left', 4),
    ]);
    expect(summary).toEqual([
      {
        region: 'hamstrings.left',
        label: 'Back of the thigh (hamstrings) (left)',
        highestAcceptedPressure: 4,
        highestPressureApplied: 5,
        less: 1,
        good: 2,
        more: 1,
        peakDiscomfort: null,
        reasons: [],
      },
    ]);
  });

  it('takes no silence as consent: a level worked without a word is not accepted', () => {
    const [calf] = summarizeSignals([pressure('calves.right', 2), say('good'), pressure('calves.right', 5)]);
    expect(calf).toMatchObject({ highestAcceptedPressure: 2, highestPressureApplied: 5 });
  });

  it('attributes feedback naming another region to that region, without deciding the spell being worked', () => {
    const summary = summarizeSignals([
      pressure('low_back.left', 3),
      say('less', 'neck.right'),
      discomfort(6, 'neck.right'),
      say('good'),
      discomfort(2),
    ]);
    expect(summary).toEqual([
      expect.objectContaining({
        region: 'neck.right',
        less: 1,
        good: 0,
        peakDiscomfort: 6,
        highestAcceptedPressure: null,
        highestPressureApplied: null,
      }),
      expect.objectContaining({ region: 'low_back.left', good: 1, peakDiscomfort: 2, highestAcceptedPressure: 3 }),
    ]);
  });

  it('keeps feedback given before anything was worked under no region, last, and orders regions as the body map does', () => {
    seq = 100;
    const summary = summarizeSignals([
      say('less'),
      discomfort(4),
      pressure('calves.left', 2),
      say('good'),
      pressure('neck.left', 1),
      say('more'),
    ]);
    expect(summary.map((s) => s.region)).toEqual(['neck.left', 'calves.left', null]);
    expect(summary.at(-1)).toMatchObject({ label: 'No area named', less: 1, peakDiscomfort: 4 });
  });

  it('reads signals in sequence order, whatever order they come in', () => {
    const ordered = [pressure('glutes.left', 4), say('less'), pressure('glutes.left', 3), say('good')];
    expect(summarizeSignals([...ordered].reverse())).toEqual(summarizeSignals(ordered));
    expect(summarizeSignals(ordered)[0]!.highestAcceptedPressure).toBe(3);
  });

  it('keeps the reasons given for pressure past the screening’s cap with their region, each once', () => {
    const why = 'Client asked for firmer work on the scalenes, checked';
    const summary = summarizeSignals([
      { ...pressure('front_of_neck', 3), reason: why },
      say('good'),
      pressure('calves.left', 3),
      { ...pressure('front_of_neck', 3), reason: why },
      { ...pressure('front_of_neck', 4), reason: 'Went one firmer, client agreed' },
    ]);
    expect(summary.map((r) => [r.region, r.reasons])).toEqual([
      ['front_of_neck', [why, 'Went one firmer, client agreed']],
      ['calves.left', []],
    ]);
  });

  it('is empty without signals', () => {
    expect(summarizeSignals([])).toEqual([]);
  });
});
