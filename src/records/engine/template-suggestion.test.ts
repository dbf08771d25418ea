import { describe, expect, it } from 'vitest';
import { suggestTemplate } from './template-suggestion.js';

describe('suggestTemplate', () => {
  it('picks the template whose main region is the focus, on the sides in the focus', () => {
    expect(suggestTemplate(['hamstrings.left', 'hamstrings.right', 'low_back.left'])).toEqual({
      templateId: 'hamstrings_deep',
      sides: 'both',
    });
    expect(suggestTemplate(['low_back.left', 'glutes.left'])).toEqual({ templateId: 'low_back', sides: 'left' });
    expect(suggestTemplate(['neck.right', 'upper_back.right'])).toEqual({
      templateId: 'neck_shoulders',
      sides: 'right',
    });
    expect(suggestTemplate(['calves.left', 'feet.right'])).toEqual({ templateId: 'calves_runner', sides: 'both' });
  });

  it('offers hamstrings on both sides without a focus', () => {
    expect(suggestTemplate([])).toEqual({ templateId: 'hamstrings_deep', sides: 'both' });
  });
});
