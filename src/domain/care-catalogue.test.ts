import { describe, expect, it } from 'vitest';
import { isSourceKey } from './clinical-sources.js';
import { PRESSURE_LEVELS, pressureLabel } from './pressure-scale.js';
import { TECHNIQUES, technique } from './technique-catalogue.js';
import { TOOLS, tool } from './tool-catalogue.js';

describe('technique and tool catalogue', () => {
  it('lists the five deep tissue techniques and six tools, each citing known sources', () => {
    expect(TECHNIQUES.map((t) => t.id)).toEqual([
      'stripping',
      'cross_fibre_friction',
      'myofascial_release',
      'trigger_point_compression',
      'direct_pressure',
    ]);
    expect(TOOLS.map((t) => t.id)).toEqual(['thumb', 'fingers', 'knuckles', 'fist', 'forearm', 'elbow']);
    for (const entry of [...TECHNIQUES, ...TOOLS]) {
      expect(entry.sources.length, entry.id).toBeGreaterThan(0);
      for (const key of entry.sources) expect(isSourceKey(key), `${entry.id}: ${key}`).toBe(true);
    }
  });

  it('carries the reference notes a therapist needs', () => {
    const friction = technique('cross_fibre_friction');
    expect(friction.avoidOnAcuteInjury).toBe(true);
    expect(friction.notes.join(' ')).toMatch(/1-2 minutes/);
    expect(TECHNIQUES.filter((t) => t.avoidOnAcuteInjury).map((t) => t.id)).toEqual(['cross_fibre_friction']);
    expect(technique('trigger_point_compression').description).toMatch(/7\/10.*60 seconds/);
    expect(tool('forearm').suitedTo).toEqual(['quadriceps', 'calves', 'glutes']);
    expect(tool('elbow').guidance).toMatch(/[Ll]ocalised depth/);
  });

  it('labels the pressure scale 1 light to 5 very deep', () => {
    expect(PRESSURE_LEVELS.map((p) => `${p.level} ${p.label}`)).toEqual([
      '1 Light',
      '2 Medium',
      '3 Firm',
      '4 Deep',
      '5 Very deep',
    ]);
    expect(pressureLabel(4)).toBe('Deep');
  });
});
