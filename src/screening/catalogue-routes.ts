import { z } from 'zod';
import type { App } from '../app-context.js';
import { regionRefLabel } from '../domain/body-regions.js';
import {
  CONTRAINDICATIONS,
  ENDANGERMENT_ENTRY,
  type Effect,
  FOCUS_REGIONS_EXCLUDED,
  type RegionScope,
  SIDE_LYING_FROM_WEEK,
  WINDOWS,
} from './engine/contraindication-catalogue.js';
import { PRESSURE_LABELS } from '../domain/screening-vocabulary.js';
import { REFERRAL_PATTERNS } from './engine/referred-pain.js';
import { sourcesOf } from './engine/screening-views.js';

const noQuery = z.object({}).strict();

function describeScope(scope: RegionScope): string {
  switch (scope.kind) {
    case 'whole_body':
      return 'the whole body';
    case 'group':
      return scope.group;
    case 'sites':
      return 'the client’s sites';
    case 'sites_and_distal':
      return 'the sites and everything distal on the same limb';
    case 'next_to_sites':
      return 'the places next to the client’s sites';
    case 'refs':
      return scope.refs.map(regionRefLabel).join(', ');
  }
}

function describeEffect(effect: Effect): string {
  switch (effect.kind) {
    case 'block':
      return 'No massage: the booking cannot go ahead';
    case 'exclude':
      return `Excludes ${describeScope(effect.scope)}`;
    case 'cap':
      return `Caps pressure at ${effect.max} (${PRESSURE_LABELS[effect.max]}) on ${describeScope(effect.scope)}`;
    case 'clearance':
      return `Clearance ${effect.level} from ${effect.from}`;
    case 'advice':
      return `Advice (${effect.topic}): ${effect.text}`;
    case 'avoid_technique':
      return `No ${effect.technique.replaceAll('_', ' ')} on ${describeScope(effect.scope)}`;
  }
}

const catalogueSchema = z.object({
  pressureScale: z.record(z.string(), z.string()),
  conditions: z.array(
    z.object({
      id: z.string(),
      condition: z.string(),
      referenceClass: z.string(),
      regionsAffected: z.string(),
      sources: z.array(z.object({ key: z.string(), where: z.string() })),
      rules: z.array(
        z.object({
          id: z.string(),
          class: z.enum(['A', 'L', 'R']),
          overridable: z.boolean(),
          effects: z.array(z.string()),
          clientMessage: z.string(),
          therapistReason: z.string(),
        }),
      ),
    }),
  ),
  combination: z.object({ id: z.string(), clientMessage: z.string(), therapistReason: z.string() }),
  windowsInHours: z
    .record(z.string(), z.number())
    .describe('Each time window in hours of elapsed time from the event to the session’s start'),
  sideLyingFromWeek: z.number().int(),
  referredPain: z.array(
    z.object({
      muscle: z.string(),
      muscleName: z.string(),
      locatedIn: z.string(),
      painFeltAt: z.array(z.string()),
      pattern: z.string(),
      sources: z.array(z.object({ key: z.string(), where: z.string() })),
    }),
  ),
});

/** The contraindication catalogue in words: what each rule does, and its sources. Public; no health data. */
export function registerCatalogueRoutes(app: App) {
  app.get(
    '/api/screening/catalogue',
    {
      schema: {
        tags: ['screening'],
        summary: 'The contraindication catalogue: conditions, classes, what each rule does, and sources',
        querystring: noQuery,
        response: { 200: catalogueSchema },
      },
    },
    async () => ({
      pressureScale: Object.fromEntries(Object.entries(PRESSURE_LABELS)),
      conditions: [...CONTRAINDICATIONS, ENDANGERMENT_ENTRY].map((e) => ({
        id: e.id,
        condition: e.condition,
        referenceClass: e.referenceClass,
        regionsAffected: e.regionsAffected,
        sources: sourcesOf(e.sources),
        rules: e.rules.map((r) => ({
          id: r.id,
          class: r.class,
          overridable: r.overridable,
          effects: r.effects.map(describeEffect),
          clientMessage: r.clientMessage,
          therapistReason: r.therapistReason,
        })),
      })),
      combination: {
        id: FOCUS_REGIONS_EXCLUDED.id,
        clientMessage: FOCUS_REGIONS_EXCLUDED.clientMessage,
        therapistReason: FOCUS_REGIONS_EXCLUDED.therapistReason,
      },
      windowsInHours: Object.fromEntries(Object.entries(WINDOWS)),
      sideLyingFromWeek: SIDE_LYING_FROM_WEEK,
      referredPain: REFERRAL_PATTERNS.map((p) => ({
        ...p,
        painFeltAt: [...p.painFeltAt],
        sources: sourcesOf(p.sources),
      })),
    }),
  );
}
