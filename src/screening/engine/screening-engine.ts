import {
  REGION_REFS,
  type RegionRef,
  refsDistalTo,
  refsNextTo,
  refsOfGroup,
  regionRefLabel,
  sortRegionRefs,
} from '../../domain/body-regions.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { epochDayFromIsoDate } from '../../scheduling/engine/calendar-date.js';
import { localDay } from '../../scheduling/engine/zoned-time.js';
import type { ScreeningMoment } from './event-time.js';
import {
  type ContraindicationEntry,
  type Effect,
  FOCUS_REGIONS_EXCLUDED,
  type RegionScope,
  type RuleClass,
  SCREENING_ENTRIES,
  type ScreeningRule,
} from './contraindication-catalogue.js';
import { type Pressure } from '../../domain/screening-vocabulary.js';
import type { SourceKey } from '../../domain/clinical-sources.js';
import { CALL_EMERGENCY_NOW } from '../../domain/emergency-wording.js';

/**
 * The screening engine: pure. Given an intake and a planned session it applies every catalogue rule that the
 * intake triggers and combines them, strictest first, into one decision that explains itself.
 */

/** Ordered from least to most strict. */
export const OUTCOMES = ['proceed', 'adapt', 'clearance_required', 'not_today'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const outcomeRank = (outcome: Outcome) => OUTCOMES.indexOf(outcome);

export interface PlannedSession {
  /** The session's local calendar date (in `timeZone`): the plan's day, and "today" or "this session" in the headline. */
  date: string;
  /**
   * The session's start instant (epoch ms): every time window (injury, surgery, clot, heart attack, pregnancy weeks)
   * is elapsed time up to it, in hours (contraindication-catalogue.ts, WINDOWS). A screening without a booking passes
   * now. Absent: the start of `date` in `timeZone`, the earliest the session could start (strictest for windows that end).
   */
  startsAt?: number;
  /** The client's zone, in which their dates and times are read (the session's zone for a booking). Default UTC. */
  timeZone?: string;
  /** Focus regions; empty means a general session. */
  regions: readonly RegionRef[];
  pressure: Pressure;
}

export interface Flag {
  ruleId: string;
  conditionId: string;
  condition: string;
  class: RuleClass;
  reason: string;
  clientMessage: string;
  sources: SourceKey[];
  /** The client's places for this condition and the regions the rule limits; whole-body limits are `wholeBody`. */
  regions: RegionRef[];
  wholeBody: boolean;
  /** What the client told us that triggered it, e.g. '165/95 on 2026-11-01'. */
  facts: string | null;
  urgency: 'same_day' | 'emergency' | null;
  overridable: boolean;
  overridden: boolean;
}

export interface RegionRestriction {
  region: RegionRef;
  label: string;
  excluded: boolean;
  /** The highest pressure allowed, or null for no cap. */
  cap: Pressure | null;
  ruleIds: string[];
}

export interface ScreeningDecision {
  outcome: Outcome;
  /** One sentence in plain words for the client. */
  headline: string;
  /** The reasons in plain words, most serious first. */
  clientMessages: string[];
  medicalUrgency: 'same_day' | 'emergency' | null;
  flags: Flag[];
  /** Every region with a cap or an exclusion, endangerment sites included. */
  restrictions: RegionRestriction[];
  plan: { date: string; pressure: Pressure; regions: { region: RegionRef; allowedPressure: Pressure | null }[] };
  advice: { ruleId: string; topic: 'position' | 'session' | 'therapist'; text: string }[];
  clearance: { ruleId: string; level: 'required' | 'advised'; from: string }[];
  techniqueLimits: { region: RegionRef; technique: 'cross_fibre_friction'; ruleId: string }[];
}

export interface ScreeningOptions {
  /** Rules a therapist has overridden for this booking; A rules and rules marked not overridable ignore this. */
  overriddenRuleIds?: readonly string[];
  /** Today's date where the client is. A session on another day is "this session", not "today", in the headline. */
  today?: string;
}

const CLASS_ORDER: Record<RuleClass, number> = { A: 0, L: 1, R: 2 };
const URGENCY_ORDER = { same_day: 1, emergency: 2 } as const;

const HEADLINES: Record<Outcome, string> = {
  proceed: 'Deep tissue massage suits you today.',
  adapt: 'Deep tissue massage suits you today, with some changes to keep it safe.',
  clearance_required:
    'Please check with your doctor first: we need a note from them (medical clearance) before this session.',
  not_today: 'Deep tissue massage is not safe for you at the moment, so this session cannot go ahead.',
};
const LATER_HEADLINES: Record<Outcome, string> = {
  ...HEADLINES,
  proceed: 'Deep tissue massage suits you for this session.',
  adapt: 'Deep tissue massage suits you for this session, with some changes to keep it safe.',
};
const URGENT_HEADLINES = {
  same_day: 'Please get medical advice today. This session cannot go ahead.',
  emergency: `${CALL_EMERGENCY_NOW} This session cannot go ahead.`,
} as const;

function resolveScope(scope: RegionScope, sites: readonly RegionRef[]): RegionRef[] {
  switch (scope.kind) {
    case 'whole_body':
      return [...REGION_REFS];
    case 'group':
      return refsOfGroup(scope.group);
    case 'sites':
      return [...sites];
    case 'sites_and_distal':
      return [...sites, ...sites.flatMap(refsDistalTo)];
    case 'next_to_sites': {
      const own = new Set(sites);
      return [...new Set(sites.flatMap(refsNextTo))].filter((ref) => !own.has(ref));
    }
    case 'refs':
      return [...scope.refs];
  }
}

const regionalEffect = (effect: Effect): effect is Extract<Effect, { scope: RegionScope }> => 'scope' in effect;

/** The focus of a session when the client names none: the places they marked as tight or painful, minus those they want left alone. */
export function defaultFocusRegions(intake: Intake): RegionRef[] {
  const avoid = new Set(intake.pressure.avoidRegions);
  return sortRegionRefs(
    intake.bodyMap.filter((e) => (e.tightness > 0 || e.pain > 0) && !avoid.has(e.region)).map((e) => e.region),
  );
}

interface AppliedRule {
  rule: ScreeningRule;
  entry: ContraindicationEntry;
  sites: RegionRef[];
  facts: string[];
  /** The findings' words for the client: their own (their reading, the threshold it meets) or the rule's. */
  clientMessages: string[];
}

/** Which rules the intake triggers, one per rule id, with the client's sites for it merged. */
function applicableRules(intake: Intake, moment: ScreeningMoment): AppliedRule[] {
  const applied = new Map<string, AppliedRule>();
  for (const entry of SCREENING_ENTRIES) {
    for (const finding of entry.findings(intake, moment)) {
      const rule = entry.rules.find((r) => r.id === finding.ruleId);
      if (!rule) throw new Error(`Catalogue entry ${entry.id} found unknown rule ${finding.ruleId}`);
      const current = applied.get(rule.id) ?? { rule, entry, sites: [], facts: [], clientMessages: [] };
      current.sites.push(...(finding.sites ?? []));
      if (finding.facts) current.facts.push(finding.facts);
      // Each finding's words: its own, or the rule's (so an injury of unknown date keeps a known one's words too).
      const words = finding.clientMessage ?? rule.clientMessage;
      if (!current.clientMessages.includes(words)) current.clientMessages.push(words);
      applied.set(rule.id, current);
    }
  }
  return [...applied.values()];
}

export function screen(intake: Intake, session: PlannedSession, options: ScreeningOptions = {}): ScreeningDecision {
  const sessionDay = epochDayFromIsoDate(session.date);
  if (sessionDay === null) throw new Error(`Not a date: ${session.date}`);
  const zone = session.timeZone ?? 'UTC';
  const moment: ScreeningMoment = { at: session.startsAt ?? localDay(zone, sessionDay).startMs, zone };
  const overridden = new Set(options.overriddenRuleIds ?? []);
  const planned = sortRegionRefs(session.regions);

  const restrictions = new Map<
    RegionRef,
    { excluded: boolean; cap: Pressure | null; ruleIds: Set<string>; excludedBy: Set<string> }
  >();
  const restrict = (ref: RegionRef, ruleId: string, change: { exclude?: true; cap?: Pressure }) => {
    const r = restrictions.get(ref) ?? {
      excluded: false,
      cap: null,
      ruleIds: new Set<string>(),
      excludedBy: new Set<string>(),
    };
    if (change.exclude) {
      r.excluded = true;
      r.excludedBy.add(ruleId);
    }
    if (change.cap !== undefined) r.cap = r.cap === null ? change.cap : (Math.min(r.cap, change.cap) as Pressure);
    r.ruleIds.add(ruleId);
    restrictions.set(ref, r);
  };

  const flags: Flag[] = [];
  const advice: ScreeningDecision['advice'] = [];
  const clearance: ScreeningDecision['clearance'] = [];
  const techniqueLimits: ScreeningDecision['techniqueLimits'] = [];
  let blocked = false;

  for (const { rule, entry, sites, facts, clientMessages } of applicableRules(intake, moment)) {
    const isOverridden = rule.overridable && rule.class !== 'A' && overridden.has(rule.id);
    const limited = new Set<RegionRef>(sites);
    let wholeBody = false;
    let limitsPlan = false;
    for (const effect of rule.effects) {
      if (effect.kind === 'block') wholeBody = true;
      if (!regionalEffect(effect)) continue;
      if (effect.scope.kind === 'whole_body') wholeBody = true;
      else for (const ref of resolveScope(effect.scope, sites)) limited.add(ref);
    }
    if (!isOverridden) {
      for (const effect of rule.effects) {
        switch (effect.kind) {
          case 'block':
            blocked = true;
            break;
          case 'exclude':
            for (const ref of resolveScope(effect.scope, sites)) restrict(ref, rule.id, { exclude: true });
            break;
          case 'cap':
            for (const ref of resolveScope(effect.scope, sites)) restrict(ref, rule.id, { cap: effect.max });
            limitsPlan ||= planned.some(
              (ref) => resolveScope(effect.scope, sites).includes(ref) && session.pressure > effect.max,
            );
            break;
          case 'clearance':
            clearance.push({ ruleId: rule.id, level: effect.level, from: effect.from });
            break;
          case 'advice':
            advice.push({ ruleId: rule.id, topic: effect.topic, text: effect.text });
            break;
          case 'avoid_technique':
            for (const ref of resolveScope(effect.scope, sites))
              techniqueLimits.push({ region: ref, technique: effect.technique, ruleId: rule.id });
            break;
        }
      }
    }
    // A standing rule is part of every session; it is a flag only where it changes this one.
    if (rule.standing && !limitsPlan) continue;
    flags.push({
      ruleId: rule.id,
      conditionId: entry.id,
      condition: entry.condition,
      class: rule.class,
      reason: rule.therapistReason,
      clientMessage: clientMessages.join(' '),
      sources: [...entry.sources],
      regions: sortRegionRefs(limited),
      wholeBody,
      facts: facts.length > 0 ? facts.join('; ') : null,
      urgency: rule.urgency ?? null,
      overridable: rule.overridable && rule.class !== 'A',
      overridden: isOverridden,
    });
  }

  const planRegions = planned.map((region) => {
    const r = restrictions.get(region);
    const allowed = r?.excluded ? null : (Math.min(session.pressure, r?.cap ?? session.pressure) as Pressure);
    return { region, allowedPressure: allowed };
  });
  const focusExcluded = planRegions.length > 0 && planRegions.every((r) => r.allowedPressure === null);
  if (focusExcluded) {
    const excluding = new Set(planned.flatMap((ref) => [...restrictions.get(ref)!.excludedBy]));
    const excludingFlags = flags.filter((f) => excluding.has(f.ruleId));
    flags.push({
      ruleId: FOCUS_REGIONS_EXCLUDED.id,
      conditionId: FOCUS_REGIONS_EXCLUDED.id,
      condition: 'Combination rule: all focus regions removed from the plan',
      class: FOCUS_REGIONS_EXCLUDED.class,
      reason: FOCUS_REGIONS_EXCLUDED.therapistReason,
      clientMessage: FOCUS_REGIONS_EXCLUDED.clientMessage,
      sources: [...new Set(excludingFlags.flatMap((f) => f.sources))],
      regions: planned,
      wholeBody: false,
      facts: null,
      urgency: null,
      overridable: false,
      overridden: false,
    });
  }

  const active = flags.filter((f) => !f.overridden);
  const requiresClearance = clearance.some((c) => c.level === 'required');
  const outcome: Outcome =
    blocked || focusExcluded
      ? 'not_today'
      : requiresClearance
        ? 'clearance_required'
        : active.length > 0
          ? 'adapt'
          : 'proceed';
  const urgency = active.reduce<Flag['urgency']>(
    (worst, f) => (f.urgency && (!worst || URGENCY_ORDER[f.urgency] > URGENCY_ORDER[worst]) ? f.urgency : worst),
    null,
  );
  const clearanceRules = new Set(clearance.filter((c) => c.level === 'required').map((c) => c.ruleId));
  // The most urgent words come first: an emergency before a same-day answer, before any other stop.
  const seriousness = (f: Flag) =>
    f.class === 'A'
      ? -(f.urgency ? URGENCY_ORDER[f.urgency] : 0)
      : clearanceRules.has(f.ruleId)
        ? 1
        : 1 + CLASS_ORDER[f.class];
  const ordered = [...flags].sort((a, b) => seriousness(a) - seriousness(b));

  return {
    outcome,
    headline: urgency
      ? URGENT_HEADLINES[urgency]
      : (options.today === undefined || options.today === session.date ? HEADLINES : LATER_HEADLINES)[outcome],
    clientMessages: [...new Set(ordered.filter((f) => !f.overridden).map((f) => f.clientMessage))],
    medicalUrgency: urgency,
    flags: ordered,
    restrictions: sortRegionRefs(restrictions.keys()).map((region) => {
      const r = restrictions.get(region)!;
      return { region, label: regionRefLabel(region), excluded: r.excluded, cap: r.cap, ruleIds: [...r.ruleIds] };
    }),
    plan: { date: session.date, pressure: session.pressure, regions: planRegions },
    advice,
    clearance,
    techniqueLimits,
  };
}

/** The rules whose clearance a document must cover before check-in. */
export function requiredClearanceRuleIds(decision: Pick<ScreeningDecision, 'clearance'>): string[] {
  return [...new Set(decision.clearance.filter((c) => c.level === 'required').map((c) => c.ruleId))].sort();
}

/** For tests and for noticing change: how strict a region's restriction is (0 none … 6 excluded). */
export function regionStrictness(restriction: Pick<RegionRestriction, 'excluded' | 'cap'> | undefined): number {
  if (!restriction) return 0;
  if (restriction.excluded) return 6;
  return restriction.cap === null ? 0 : 6 - restriction.cap;
}
