import { describe, expect, it } from 'vitest';
import { fieldInWords } from './states';

describe('a field the screen does not show, in words', () => {
  it('names the last part of its path, without indexes or code casing', () => {
    expect(fieldInWords('conditions.hypertension.systolic')).toBe('Systolic');
    expect(fieldInWords('painNow.0.score')).toBe('Score');
    expect(fieldInWords('mobileArea.radiusKm')).toBe('Radius km');
    expect(fieldInWords('licence_number')).toBe('Licence number');
    expect(fieldInWords('')).toBe('');
  });
});
