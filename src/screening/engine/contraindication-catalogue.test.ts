import { describe, expect, it } from 'vitest';
import { BODY_REGIONS } from '../../domain/body-regions.js';
import { CONTRAINDICATIONS, ENDANGERMENT_ENTRY, SCREENING_ENTRIES } from './contraindication-catalogue.js';
import { isSourceKey } from '../../domain/clinical-sources.js';
import { REFERRAL_PATTERNS } from './referred-pain.js';

describe('contraindication catalogue', () => {
  it('has one entry per condition of clinical-reference section 1', () => {
    const section1 = [
      'blood_clot',
      'dvt_history',
      'bleeding_risk',
      'fever',
      'open_wound',
      'skin_infection',
      'osteoporosis',
      'acute_fracture',
      'acute_injury',
      'herniated_disc',
      'rheumatoid_arthritis',
      'osteoarthritis',
      'varicose_veins',
      'recent_surgery',
      'cancer',
      'diabetes_neuropathy',
      'hypertension',
      'heart',
      'kidney_failure',
      'fibromyalgia',
      'pregnancy',
    ];
    expect(CONTRAINDICATIONS.map((e) => e.id)).toEqual(expect.arrayContaining(section1));
    expect(new Set(SCREENING_ENTRIES.map((e) => e.id)).size).toBe(SCREENING_ENTRIES.length);
  });

  it('cites known sources on every entry and explains every rule to client and therapist', () => {
    for (const entry of [...SCREENING_ENTRIES]) {
      expect(entry.sources.length, entry.id).toBeGreaterThan(0);
      for (const key of entry.sources) expect(isSourceKey(key), `${entry.id}: ${key}`).toBe(true);
      for (const rule of entry.rules) {
        expect(rule.clientMessage.length, rule.id).toBeGreaterThan(30);
        expect(rule.therapistReason.length, rule.id).toBeGreaterThan(20);
        expect(rule.effects.length, rule.id).toBeGreaterThan(0);
        expect(rule.class === 'A' && rule.overridable, `${rule.id}: an absolute rule is never overridable`).toBe(false);
        expect(rule.class === 'A', rule.id).toBe(rule.effects.some((e) => e.kind === 'block'));
      }
    }
    const ruleIds = SCREENING_ENTRIES.flatMap((e) => e.rules.map((r) => r.id));
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
  });

  it('ties the endangerment cap to the sites the body map marks, sourced WRN-END', () => {
    expect(ENDANGERMENT_ENTRY.sources).toEqual(['WRN-END']);
    for (const region of BODY_REGIONS.filter((r) => 'endangerment' in r))
      expect(region.endangerment.sources).toEqual(['WRN-END']);
  });

  it('names muscles in referred-pain patterns that the body map puts in the region they lie in', () => {
    for (const p of REFERRAL_PATTERNS) {
      const region = BODY_REGIONS.find((r) => r.id === p.locatedIn)!;
      expect(
        region.muscles.map((m) => m.id),
        p.muscle,
      ).toContain(p.muscle);
      for (const key of p.sources) expect(isSourceKey(key), key).toBe(true);
    }
  });
});
