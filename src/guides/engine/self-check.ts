import {
  type RegionId,
  type RegionRef,
  bodyRegion,
  parseRegionRef,
  regionRefLabel,
  sortRegionRefs,
} from '../../domain/body-regions.js';
import { CLINICAL_SOURCES, type SourceKey, isSourceKey } from '../../domain/clinical-sources.js';
import { CALL_EMERGENCY_NOW } from '../../domain/emergency-wording.js';
import { localDateOf } from '../../domain/session-time.js';
import { type Specialty } from '../../domain/specialties.js';
import { TECHNIQUES, type TechniqueId, technique } from '../../domain/technique-catalogue.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { type Flag, type ScreeningDecision, screen } from '../../screening/engine/screening-engine.js';
import { referredPainHints } from '../../screening/engine/referred-pain.js';
import { clientConditionsFromIntake } from '../../care/engine/intake-conditions.js';
import { LEG_REGIONS } from '../../care/engine/client-conditions.js';
import { homeProgramme } from '../../care/engine/home-programme.js';
import { heatIceBathItems } from '../../care/engine/aftercare-self-care.js';
import type { AftercareItem } from '../../care/engine/aftercare-plan.js';
import { RED_FLAGS as AFTER_SESSION_RED_FLAGS } from '../../care/engine/red-flags.js';
import { GUIDE_TITLES, type GuideSlug } from '../../domain/guide-links.js';
import { SELF_CHECK_TEXTS, SPECIALTY_OF_REGION } from './self-check-catalogue.js';
import type { SelfCheckInput, SelfCheckResult, SelfCheckStatement } from './self-check-schema.js';

/**
 * The self-check's core: a visitor's marks and answers in, the result out, in plain words and every statement with
 * its sources. Pure. It says nothing of its own that a catalogue does not hold:
 * - safety: the answers are put into a consultation (an intake) and screened by the screening engine itself, so the
 *   self-check's "see a doctor first" is the screening's, word for word, and never differs from the consultation's;
 * - what is likely going on: the referred-pain catalogue for the places marked with pain, and the self-check
 *   catalogue's explanations (self-check-catalogue.ts) for knots, hamstrings and the pelvis, and tender legs;
 * - what a session would do: the technique catalogue;
 * - what to do yourself: the home programme and the heat-or-ice advice of aftercare, chosen for the places marked and
 *   adjusted to a fresh injury as aftercare would be.
 */

/** The pressure a deep tissue session plans on (4 deep): what the screening checks the marked places against. */
const DEEP = 4;

const BACK: readonly RegionId[] = [
  'upper_back',
  'mid_back',
  'low_back',
  'shoulder_blade',
  'spine_thoracic',
  'spine_lumbar',
  'spine_sacral',
];
const HAMSTRINGS: RegionId = 'hamstrings';
/** The legs, and the buttocks above them: where firm pressure on tight muscle is felt most. */
const TENDER_LEGS: readonly RegionId[] = [...LEG_REGIONS, 'glutes'];
/** Long muscles a therapist glides along (stripping): legs, buttocks and back. */
const LONG_MUSCLES: readonly RegionId[] = [...LEG_REGIONS, 'glutes', 'low_back', 'mid_back', 'upper_back'];

const idOf = (ref: RegionRef) => parseRegionRef(ref)!.region.id as RegionId;
const labelled = (refs: readonly RegionRef[]) =>
  sortRegionRefs(refs).map((region) => ({ region, label: regionRefLabel(region) }));
const lower = (refs: readonly RegionRef[]) =>
  listInWords(sortRegionRefs(refs).map((r) => regionRefLabel(r).toLowerCase()));

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

interface Said {
  id: string;
  title: string;
  text: string;
  regions?: readonly RegionRef[];
  sources: readonly string[];
}

/** A statement as the result carries it: its sources named and located; a key no catalogue lists is a defect. */
function statement(said: Said): SelfCheckStatement {
  const keys = [...new Set(said.sources)];
  const unknown = keys.filter((k) => !isSourceKey(k));
  if (unknown.length > 0 || keys.length === 0)
    throw new Error(`Self-check statement ${said.id} cites ${keys.length === 0 ? 'nothing' : unknown.join(', ')}`);
  return {
    id: said.id,
    title: said.title,
    text: said.text,
    regions: labelled(said.regions ?? []),
    sources: (keys as SourceKey[]).map((key) => ({ key, where: CLINICAL_SOURCES[key] })),
  };
}

/** The answers as a consultation, so the screening reads them as it reads any client's. */
function intakeOfSelfCheck(input: SelfCheckInput, today: string): Intake {
  const f = input.redFlags;
  const conditions: Intake['conditions'] = {};
  // The self-check asks the calf question as one (swelling, warmth or redness, either leg): read as the strictest answer.
  if (f.legClotSigns) conditions.legClotSigns = { side: 'both', signs: ['swelling', 'warmth', 'redness'] };
  if (f.bloodClot) conditions.bloodClot = { status: 'suspected' };
  if (f.unstableAngina) conditions.unstableAngina = true;
  if (f.feverOrInfection) conditions.feverOrInfection = true;
  conditions.spinalRedFlags = {
    saddleNumbness: f.saddleNumbness,
    bladderOrBowelChange: f.bladderOrBowelChange,
    progressiveLegWeakness: f.progressiveLegWeakness,
    newNumbnessOrRadiatingPain: f.newNumbnessOrRadiatingPain,
  };
  const marked = input.bodyMap.map((e) => e.region);
  return {
    bodyMap: input.bodyMap,
    goals: [],
    activity: input.activity,
    causes: [],
    // A fresh injury to the places marked, dated today without a time: the screening reads it the strictest way.
    injuries: input.recentInjury === 'last_3_days' ? [{ kind: 'other', regions: marked, date: today }] : [],
    surgeries: [],
    medications: [],
    conditions,
    pressure: { preference: DEEP, avoidRegions: [] },
    consent: { treatment: true, dataProcessing: false },
  };
}

type Safety = SelfCheckResult['safety'];

const HEADLINES: Record<Safety['level'], string> = {
  emergency: `${CALL_EMERGENCY_NOW} What you told us needs emergency care, not a massage.`,
  same_day: 'Please get medical advice today. What you told us needs a doctor, not a massage.',
  not_today: 'Deep tissue massage is not safe for you at the moment.',
  doctor_first:
    'Please see your doctor first: a therapist will need a note from them (medical clearance) before a deep tissue session.',
  adapt: 'A deep tissue session can help with this, with some changes to keep it safe.',
  clear: 'Nothing you told us stops a deep tissue session, and it can help with this.',
};

function flagTitle(flag: Flag, clearanceRules: ReadonlySet<string>): string {
  if (flag.urgency === 'emergency') return 'Call for help now';
  if (flag.urgency === 'same_day') return 'See a doctor today';
  if (flag.class === 'A') return 'No massage for now';
  if (clearanceRules.has(flag.ruleId)) return 'See your doctor first';
  return 'What a therapist would change';
}

function safetyOf(decision: ScreeningDecision, marked: readonly RegionRef[]): Safety {
  const level: Safety['level'] =
    decision.medicalUrgency ??
    ({ not_today: 'not_today', clearance_required: 'doctor_first', adapt: 'adapt', proceed: 'clear' } as const)[
      decision.outcome
    ];
  const clearanceRules = new Set(decision.clearance.filter((c) => c.level === 'required').map((c) => c.ruleId));
  const own = new Set(marked);
  const messages = decision.flags
    .filter((flag) => !flag.overridden)
    .map((flag) =>
      statement({
        id: flag.ruleId,
        title: flagTitle(flag, clearanceRules),
        text: flag.clientMessage,
        regions: flag.wholeBody ? [] : flag.regions.filter((r) => own.has(r)),
        // Every screening entry cites its sources; the combination rule cites those of the rules that excluded.
        sources: flag.sources.length > 0 ? flag.sources : ['B04'],
      }),
    );
  const findTherapist: Safety['findTherapist'] =
    level === 'emergency' || level === 'same_day' || level === 'not_today'
      ? 'hidden'
      : level === 'doctor_first'
        ? 'after_doctor'
        : 'shown';
  return { level, headline: HEADLINES[level], messages, findTherapist };
}

function likelyOf(input: SelfCheckInput, intake: Intake): SelfCheckStatement[] {
  const marked = input.bodyMap.map((e) => e.region);
  const ids = new Set(marked.map(idOf));
  const withMuscles = marked.filter((ref) => parseRegionRef(ref)!.region.muscles.length > 0);
  const out: Said[] = [];

  if (withMuscles.length > 0) {
    const t = SELF_CHECK_TEXTS.knots;
    const causes: { text: string; sources: readonly SourceKey[] }[] = [];
    if (input.activity.deskHoursPerDay >= 6 || input.worseWith.includes('sitting'))
      causes.push(SELF_CHECK_TEXTS.causeSitting(input.activity.deskHoursPerDay));
    if (input.activity.level === 'sedentary' || input.betterWith.includes('moving'))
      causes.push(SELF_CHECK_TEXTS.causeInactivity);
    if (input.activity.level === 'active' || input.activity.level === 'athlete' || input.worseWith.includes('exercise'))
      causes.push(SELF_CHECK_TEXTS.causeOveruse);
    if (input.recentInjury === 'earlier') causes.push(SELF_CHECK_TEXTS.causeOldInjury);
    out.push({
      id: 'knots',
      title: t.title,
      text: [t.text, ...causes.map((c) => c.text)].join(' '),
      regions: withMuscles,
      sources: [...t.sources, ...causes.flatMap((c) => c.sources)],
    });
  }

  const referred = referredPainHints(intake);
  for (const hint of referred.hints) {
    const located = bodyRegion(idOf(hint.assessAt[0]!))!;
    // A pattern felt where the muscle itself lies is a knot in that muscle; one felt elsewhere is referred pain.
    const elsewhere = hint.explains.some((ref) => idOf(ref) !== located.id);
    out.push({
      id: `referred.${hint.muscle}`,
      title: elsewhere
        ? `Referred pain from the ${hint.muscleName.toLowerCase()}`
        : `A knot in the ${hint.muscleName.toLowerCase()}`,
      text: elsewhere
        ? `Pain in your ${lower(hint.explains)} can come from a trigger point in the ${hint.muscleName.toLowerCase()}, a muscle in the ${located.label.toLowerCase()}. A trigger point there typically sends pain to: ${hint.pattern}. A therapist checks that muscle too, not only the place that hurts.`
        : `Pain in your ${lower(hint.explains)} can come from a trigger point in the ${hint.muscleName.toLowerCase()} itself, felt at: ${hint.pattern}.`,
      regions: hint.explains,
      sources: hint.sources,
    });
  }

  if (ids.has(HAMSTRINGS)) {
    const t = SELF_CHECK_TEXTS.hamstringsPelvis;
    const back = marked.filter((ref) => BACK.includes(idOf(ref)));
    out.push({
      id: 'hamstrings_pelvis',
      title: t.title,
      text: back.length > 0 ? `${t.text} ${t.withBack}` : t.text,
      regions: marked.filter((ref) => idOf(ref) === HAMSTRINGS || BACK.includes(idOf(ref))),
      sources: t.sources,
    });
  }

  const legs = marked.filter((ref) => TENDER_LEGS.includes(idOf(ref)));
  if (legs.length > 0 || input.worseWith.includes('pressure')) {
    const t = SELF_CHECK_TEXTS.tenderLegs;
    const kneeNote = ids.has('back_of_knee') ? ` ${t.backOfKnee}` : '';
    out.push({
      id: 'tender_under_pressure',
      title: t.title,
      text: `${t.text}${kneeNote}`,
      regions: legs,
      sources: [...t.sources, ...(kneeNote ? t.backOfKneeSources : [])],
    });
  }

  const calves = marked.filter((ref) => idOf(ref) === 'calves');
  if (calves.length > 0) {
    const clot = AFTER_SESSION_RED_FLAGS.find((f) => f.id === 'clot_in_leg')!;
    out.unshift({
      id: 'calf_check',
      title: 'Calf pain: rule out a clot first',
      text: `${clot.sign} ${clot.action}`,
      regions: calves,
      sources: clot.sources,
    });
  }

  if (input.howLong === 'months') out.push({ id: 'long_standing', ...SELF_CHECK_TEXTS.longStanding, regions: [] });
  return out.map(statement);
}

function sessionOf(input: SelfCheckInput, decision: ScreeningDecision): SelfCheckStatement[] {
  const marked = input.bodyMap.map((e) => e.region);
  const long = marked.filter((ref) => LONG_MUSCLES.includes(idOf(ref)));
  const painful = input.bodyMap.filter((e) => e.pain > 0).map((e) => e.region);
  const chosen: { id: TechniqueId; regions: RegionRef[] }[] = [
    { id: 'trigger_point_compression', regions: painful.length > 0 ? painful : marked },
    ...(long.length > 0 ? [{ id: 'stripping' as const, regions: long }] : []),
    { id: 'myofascial_release', regions: marked },
  ];
  // Friction is not used on a fresh injury: the technique catalogue says so, and the screening limits it.
  const noFriction = decision.techniqueLimits.length > 0 || input.recentInjury === 'last_3_days';
  if (!noFriction && input.howLong === 'months') chosen.push({ id: 'cross_fibre_friction', regions: painful });
  const said: Said[] = chosen
    .filter((c) => TECHNIQUES.some((t) => t.id === c.id))
    .map(({ id, regions }) => {
      const t = technique(id);
      return {
        id: `technique.${id}`,
        title: t.name,
        text: `${t.description}${regions.length > 0 ? ` For your ${lower(regions)}.` : ''}`,
        regions,
        sources: t.sources,
      };
    });
  said.push({ id: 'feels_like', ...SELF_CHECK_TEXTS.feelsLike, regions: [] });
  said.push({ id: 'afterwards', ...SELF_CHECK_TEXTS.afterwards, regions: [] });
  said.push({ id: 'sessions_needed', ...SELF_CHECK_TEXTS.fewSessions, regions: [] });
  return said.map(statement);
}

/** The home programme is timed from a session ("from the day after the session"); a visitor has had none yet. */
const withoutSessionTiming = (dosage: string) => dosage.replace(/,? from the day after the session/g, '');

function fromAftercare(item: AftercareItem, title: string, regions: readonly RegionRef[] = []): Said {
  return {
    id: item.id,
    title,
    text: item.dosage ? `${item.text} ${withoutSessionTiming(item.dosage)}` : item.text,
    regions,
    sources: item.sources,
  };
}

function selfCareOf(input: SelfCheckInput, intake: Intake, now: number, zone: string): SelfCheckStatement[] {
  const marked = input.bodyMap.map((e) => e.region);
  const conditions = clientConditionsFromIntake(intake, { at: now, zone });
  const regionIds = [...new Set(marked.map(idOf))];
  const programme = homeProgramme(regionIds, conditions);
  const said: Said[] = [
    ...programme.stretches.map((item) => fromAftercare(item, 'Stretch')),
    ...programme.foamRolling.map((item) => fromAftercare(item, 'Foam roll')),
    ...programme.strengthening.map((item) => fromAftercare(item, 'Strengthen')),
    { id: 'hydrate', ...SELF_CHECK_TEXTS.hydrate, regions: [] },
  ];
  const compress = heatIceBathItems(conditions).find((item) => item.id === 'compress');
  if (compress) said.push(fromAftercare(compress, 'Heat or ice', marked));
  if (input.recentInjury === 'last_3_days')
    said.push({ id: 'fresh_injury', ...SELF_CHECK_TEXTS.freshInjury, regions: marked });
  return said.map(statement);
}

/** The specialty most of the marked places call for (ties: the catalogue's order); null when none does. */
export function specialtyFor(marked: readonly RegionRef[]): Specialty | null {
  const counts = new Map<Specialty, number>();
  for (const ref of marked) {
    const specialty = SPECIALTY_OF_REGION[idOf(ref)];
    if (specialty) counts.set(specialty, (counts.get(specialty) ?? 0) + 1);
  }
  let best: Specialty | null = null;
  for (const [specialty, n] of counts) if (best === null || n > counts.get(best)!) best = specialty;
  return best;
}

function guidesOf(input: SelfCheckInput, safety: Safety): GuideSlug[] {
  const ids = new Set(input.bodyMap.map((e) => idOf(e.region)));
  const slugs: GuideSlug[] = [];
  if (safety.level !== 'clear' && safety.level !== 'adapt') slugs.push('who-should-not-have-deep-tissue');
  if (ids.has(HAMSTRINGS)) slugs.push('tight-hamstrings');
  if ([...ids].some((id) => BACK.includes(id))) slugs.push('knots-in-the-back', 'back-pain-relief');
  if ([...ids].some((id) => TENDER_LEGS.includes(id)) || input.worseWith.includes('pressure'))
    slugs.push('legs-hurt-when-massaged');
  slugs.push('what-to-expect', 'soreness-after-massage');
  if (!slugs.includes('who-should-not-have-deep-tissue')) slugs.push('who-should-not-have-deep-tissue');
  return slugs;
}

/** The self-check's result for these answers, at `now` (epoch ms). */
export function selfCheckResult(input: SelfCheckInput, now: number): SelfCheckResult {
  const zone = input.zone ?? 'UTC';
  const today = localDateOf(now, zone);
  const intake = intakeOfSelfCheck(input, today);
  const marked = sortRegionRefs(input.bodyMap.map((e) => e.region));
  const decision = screen(
    intake,
    { date: today, startsAt: now, timeZone: zone, regions: marked, pressure: DEEP },
    { today },
  );
  const safety = safetyOf(decision, marked);
  const likely = likelyOf(input, intake);
  const session = sessionOf(input, decision);
  const selfCare = selfCareOf(input, intake, now, zone);
  const cited = new Map<string, { key: string; where: string }>();
  for (const s of [...safety.messages, ...likely, ...session, ...selfCare])
    for (const source of s.sources) cited.set(source.key, source);
  return {
    safety,
    likely,
    session,
    selfCare,
    search: { specialty: specialtyFor(marked), focusRegions: marked },
    guides: guidesOf(input, safety).map((slug) => ({ slug, path: `/guides/${slug}`, title: GUIDE_TITLES[slug] })),
    sources: [...cited.values()],
  };
}
