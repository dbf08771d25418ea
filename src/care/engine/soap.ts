import { parseRegionRef } from '../../domain/body-regions.js';
import { flexibilityResult } from '../../outcomes/engine/flexibility-tests.js';
import { flexibilityTest } from '../../domain/flexibility-tests.js';
import { pressureLabel, type PressureLevel } from '../../domain/pressure-scale.js';
import { regionRefLabel } from '../../domain/region-label.js';
import type { RegionPain, SessionNote } from './session-note.js';
import { technique } from '../../domain/technique-catalogue.js';
import { tool } from '../../domain/tool-catalogue.js';

/**
 * A session note in the SOAP layout other practice software and referrers expect:
 * - Subjective: what the client reports before the session (pain per region);
 * - Objective: what the therapist found (knots, trigger points, range of motion) and did (regions, techniques,
 *   tools, pressure, minutes);
 * - Assessment: the client's pain after the session and the therapist's assessment;
 * - Plan: the plan.
 * Free text does not belong to one SOAP heading, so it travels as `otherNotes`.
 */
export interface SoapNote {
  subjective: string[];
  objective: string[];
  assessment: string[];
  plan: string[];
  otherNotes: string;
}

const painLine = (prefix: string, p: RegionPain) => `${prefix}${regionRefLabel(p.region)}: ${p.score}/10`;

export function toSoap(note: SessionNote): SoapNote {
  const muscleName = (ref: string, id: string) =>
    parseRegionRef(ref)?.region.muscles.find((m) => m.id === id)?.name ?? id;
  const objective = [
    ...note.findings.palpation.map(
      (f) =>
        `${f.kind === 'knot' ? 'Knot' : 'Trigger point'}: ${muscleName(f.region, f.muscle)}, ${regionRefLabel(f.region)}${f.note ? ` (${f.note})` : ''}`,
    ),
    ...note.findings.rangeOfMotion.map((rom) => {
      const test = flexibilityTest(rom.test);
      const value = Math.round(flexibilityResult(rom.test, rom.trials) * 10) / 10;
      return `${test.name}${rom.side ? ` (${rom.side})` : ''}: ${value}${test.unit === 'degrees' ? '°' : ' cm'}`;
    }),
    ...note.regionsWorked.map(
      (w) =>
        `Worked ${regionRefLabel(w.region)}, ${w.minutes} min: ${w.techniques.map((t) => technique(t).name).join(', ')}; ` +
        `${w.tools.map((t) => tool(t).name.toLowerCase()).join(', ')}; up to ${pressureLabel(w.maxPressure as PressureLevel).toLowerCase()} pressure (${w.maxPressure}/5)`,
    ),
  ];
  return {
    subjective: note.painBefore.map((p) => painLine('Pain before, ', p)),
    objective,
    assessment: [
      ...note.painAfter.map((p) => painLine('Pain after, ', p)),
      ...(note.assessment ? [note.assessment] : []),
    ],
    plan: note.plan ? [note.plan] : [],
    otherNotes: note.freeText,
  };
}
