import { describe, expect, it } from 'vitest';
import { measurementProblem } from './measurement.js';

describe('measurementProblem', () => {
  it('accepts values in range with the right kind of key', () => {
    expect(measurementProblem({ measure: 'nprs', key: 'hamstrings.left', value: 6 })).toBeNull();
    expect(measurementProblem({ measure: 'ake', key: 'right', value: 27.5 })).toBeNull();
    expect(measurementProblem({ measure: 'odi', key: null, value: 35.56 })).toBeNull();
    expect(measurementProblem({ measure: 'psfs_activity', key: 'run 5 km', value: 4 })).toBeNull();
  });

  it('names the field and the reason for anything else', () => {
    expect(measurementProblem({ measure: 'nprs', key: 'hamstrings', value: 6 })).toMatchObject({
      field: 'key',
      code: 'unknown_region',
    });
    expect(measurementProblem({ measure: 'nprs', key: null, value: 6 })).toMatchObject({
      field: 'key',
      code: 'key_required',
    });
    expect(measurementProblem({ measure: 'odi', key: 'left', value: 30 })).toMatchObject({
      field: 'key',
      code: 'key_not_allowed',
    });
    expect(measurementProblem({ measure: 'slr', key: 'both', value: 60 })).toMatchObject({
      field: 'key',
      code: 'unknown_side',
    });
    expect(measurementProblem({ measure: 'nprs', key: 'abdomen', value: 11 })).toMatchObject({
      field: 'value',
      code: 'out_of_range',
    });
    expect(measurementProblem({ measure: 'nprs', key: 'abdomen', value: 6.5 })).toMatchObject({
      field: 'value',
      code: 'not_whole_number',
    });
    expect(measurementProblem({ measure: 'sit_and_reach', key: null, value: Number.NaN })).toMatchObject({
      code: 'out_of_range',
    });
  });
});
