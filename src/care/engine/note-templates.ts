import { bodyRegion, type RegionId, type RegionRef, refsOfRegion, type Side } from '../../domain/body-regions.js';
import { type FlexibilityTestId, flexibilityTest } from '../../domain/flexibility-tests.js';
import type { PressureLevel } from '../../domain/pressure-scale.js';
import { regionRefLabel } from '../../domain/region-label.js';
import type { ScreeningLimits } from '../../domain/screening-exceedances.js';
import type { RegionPain, SessionNote, WorkedRegion } from './session-note.js';
import type { TechniqueId } from '../../domain/technique-catalogue.js';
import type { ToolId } from '../../domain/tool-catalogue.js';

/**
 * Note templates for the sessions therapists give most, so that recording the common case takes one or two edits.
 * A template says which regions are usually worked, how, how firmly, and for how long in a 60-minute session.
 */

export type NoteTemplateId = 'hamstrings_deep' | 'low_back' | 'neck_shoulders' | 'calves_runner';

interface TemplateRegion {
  region: RegionId;
  techniques: TechniqueId[];
  tools: ToolId[];
  pressure: PressureLevel;
  /** Hands-on minutes in a 60-minute session, shared between the sides worked. */
  minutes: number;
}

export interface NoteTemplate {
  id: NoteTemplateId;
  name: string;
  regions: readonly TemplateRegion[];
  /** Flexibility tests worth re-taking for this focus; offered next to the draft, not filled in. */
  suggestedTests: readonly FlexibilityTestId[];
  plan: string;
}

export const NOTE_TEMPLATES: readonly NoteTemplate[] = [
  {
    id: 'hamstrings_deep',
    name: 'Hamstrings, deep tissue',
    regions: [
      {
        region: 'hamstrings',
        techniques: ['myofascial_release', 'stripping', 'trigger_point_compression'],
        tools: ['forearm', 'knuckles', 'elbow'],
        pressure: 4,
        minutes: 30,
      },
      {
        region: 'glutes',
        techniques: ['direct_pressure', 'trigger_point_compression'],
        tools: ['forearm', 'elbow'],
        pressure: 4,
        minutes: 14,
      },
      { region: 'calves', techniques: ['stripping'], tools: ['forearm'], pressure: 3, minutes: 6 },
    ],
    suggestedTests: ['ake'],
    plan: 'Home programme: hamstring stretches, glute and core strengthening. Re-test active knee extension next session.',
  },
  {
    id: 'low_back',
    name: 'Low back',
    regions: [
      {
        region: 'low_back',
        techniques: ['myofascial_release', 'stripping', 'trigger_point_compression'],
        tools: ['forearm', 'thumb', 'knuckles'],
        pressure: 3,
        minutes: 24,
      },
      {
        region: 'glutes',
        techniques: ['direct_pressure', 'trigger_point_compression'],
        tools: ['forearm', 'elbow'],
        pressure: 4,
        minutes: 16,
      },
      { region: 'hamstrings', techniques: ['stripping'], tools: ['forearm'], pressure: 3, minutes: 10 },
    ],
    suggestedTests: [],
    plan: 'Home programme: gentle low back and hip stretches, glute and core strengthening. Ask the client to update the Oswestry questionnaire before the next session.',
  },
  {
    id: 'neck_shoulders',
    name: 'Neck and shoulders',
    regions: [
      {
        region: 'neck',
        techniques: ['myofascial_release', 'trigger_point_compression'],
        tools: ['fingers', 'thumb'],
        pressure: 3,
        minutes: 14,
      },
      {
        region: 'upper_back',
        techniques: ['stripping', 'trigger_point_compression'],
        tools: ['forearm', 'thumb', 'elbow'],
        pressure: 4,
        minutes: 18,
      },
      {
        region: 'shoulder_blade',
        techniques: ['trigger_point_compression', 'myofascial_release'],
        tools: ['thumb', 'knuckles'],
        pressure: 3,
        minutes: 10,
      },
      { region: 'mid_back', techniques: ['stripping'], tools: ['forearm'], pressure: 3, minutes: 8 },
    ],
    suggestedTests: [],
    plan: 'Home programme: neck and chest stretches, shoulder-blade posture work at the desk. Ask the client to update the Neck Disability Index before the next session.',
  },
  {
    id: 'calves_runner',
    name: 'Calves (runner)',
    regions: [
      {
        region: 'calves',
        techniques: ['stripping', 'myofascial_release', 'trigger_point_compression'],
        tools: ['forearm', 'knuckles', 'thumb'],
        pressure: 4,
        minutes: 28,
      },
      {
        region: 'feet',
        techniques: ['direct_pressure', 'myofascial_release'],
        tools: ['thumb', 'knuckles'],
        pressure: 3,
        minutes: 10,
      },
      { region: 'hamstrings', techniques: ['stripping'], tools: ['forearm'], pressure: 3, minutes: 12 },
    ],
    suggestedTests: [],
    plan: 'Home programme: calf stretches (knee straight and bent) and gentle foam rolling; easy running only for the next day.',
  },
];

export interface TemplateContext {
  /** Which side(s) of lateral regions were worked. */
  sides: Side | 'both';
  /** Booked length; minutes are scaled from the 60-minute template. Default 60. */
  durationMin?: 60 | 90 | 120;
  /** The client's screening limits: excluded regions are left out and pressure is held to the caps. */
  screening?: ScreeningLimits;
  /** Pain the client reported before the session (at check-in or in the intake), copied into the draft. */
  painBefore?: RegionPain[];
}

export interface NoteDraft {
  note: SessionNote;
  suggestedTests: { test: FlexibilityTestId; side: Side | null }[];
  /** What the draft changed from the template because of screening, for the therapist to see. */
  adjustments: string[];
}

export function noteTemplate(id: NoteTemplateId): NoteTemplate {
  const template = NOTE_TEMPLATES.find((t) => t.id === id);
  if (!template) throw new RangeError(`Unknown note template "${id}"`);
  return template;
}

/** A draft note prefilled from a template: regions worked (per side), techniques, tools, pressure and minutes, and the plan. */
export function applyTemplate(templateId: NoteTemplateId, context: TemplateContext): NoteDraft {
  const template = noteTemplate(templateId);
  const sides: Side[] = context.sides === 'both' ? ['left', 'right'] : [context.sides];
  const scale = (context.durationMin ?? 60) / 60;
  const excluded = new Set(context.screening?.excluded ?? []);
  const adjustments: string[] = [];

  const regionsWorked: WorkedRegion[] = template.regions.flatMap((entry) => {
    const refs: RegionRef[] = bodyRegion(entry.region)!.lateral
      ? sides.map((side) => `${entry.region}.${side}`)
      : refsOfRegion(entry.region);
    const minutes = Math.max(1, Math.round((entry.minutes * scale) / refs.length));
    return refs.flatMap((region) => {
      if (excluded.has(region)) {
        adjustments.push(`${regionRefLabel(region)} left out: screening excludes it.`);
        return [];
      }
      const cap = context.screening?.caps[region];
      let maxPressure: number = entry.pressure;
      if (cap !== undefined && cap < maxPressure) {
        adjustments.push(`${regionRefLabel(region)}: pressure held to ${cap}/5, the screening cap.`);
        maxPressure = cap;
      }
      return [{ region, techniques: [...entry.techniques], tools: [...entry.tools], maxPressure, minutes }];
    });
  });

  return {
    note: {
      painBefore: [...(context.painBefore ?? [])],
      findings: { palpation: [], rangeOfMotion: [] },
      regionsWorked,
      painAfter: [],
      assessment: '',
      plan: template.plan,
      freeText: '',
    },
    suggestedTests: template.suggestedTests.flatMap((test): NoteDraft['suggestedTests'] =>
      flexibilityTest(test).perSide ? sides.map((side) => ({ test, side })) : [{ test, side: null }],
    ),
    adjustments,
  };
}
