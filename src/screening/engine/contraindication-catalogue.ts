import {
  ENDANGERMENT_REFS,
  type RegionGroup,
  type RegionRef,
  isOnSpine,
  refsOfGroup,
  refsOfRegion,
  refsOfWholeSpine,
} from '../../domain/body-regions.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import {
  HOURS_PER_DAY,
  HOURS_PER_WEEK,
  type EventTime,
  type ScreeningMoment,
  eventInWords,
  hoursSince,
  withinHoursAfter,
} from './event-time.js';
import type { SourceKey } from '../../domain/clinical-sources.js';
import type { Pressure } from '../../domain/screening-vocabulary.js';
import { CALL_EMERGENCY_NOW, EMERGENCY_NUMBERS } from '../../domain/emergency-wording.js';

/**
 * The screening catalogue: one entry per condition of clinical-reference section 1 (plus the spinal red flags of
 * section 5 that the herniated-disc row asks for), the endangerment sites every client has, and the combination
 * rules. Entries are data: each rule says what it does (block, exclude regions, cap pressure, require or advise
 * clearance, give advice, rule out a technique) and why, for the client and for the therapist, with sources.
 * The only code in an entry is `findings`, which reads the entry's own intake item and says which of its rules
 * apply and where; src/screening/screening-engine.ts applies the effects the same way for every entry.
 */

/** A absolute (no massage today), L local (avoid the named regions), R relative (modify or get clearance). */
export type RuleClass = 'A' | 'L' | 'R';

export type RegionScope =
  | { kind: 'whole_body' }
  | { kind: 'group'; group: RegionGroup }
  /** The places the client named for this condition (the finding's sites). */
  | { kind: 'sites' }
  /** The named places and everything further out along the same limb. */
  | { kind: 'sites_and_distal' }
  /** The places touching the named ones (body-regions.ts, refsNextTo), so a neighbouring tap still protects. */
  | { kind: 'next_to_sites' }
  | { kind: 'refs'; refs: readonly RegionRef[] };

export type Effect =
  | { kind: 'block' }
  | { kind: 'exclude'; scope: RegionScope }
  | { kind: 'cap'; scope: RegionScope; max: Pressure }
  | { kind: 'clearance'; level: 'required' | 'advised'; from: string }
  | { kind: 'advice'; topic: 'position' | 'session' | 'therapist'; text: string }
  | { kind: 'avoid_technique'; scope: RegionScope; technique: 'cross_fibre_friction' };

export interface ScreeningRule {
  /** Stable: stored with overrides and clearance verifications. */
  id: string;
  class: RuleClass;
  effects: readonly Effect[];
  /** Plain words for the client. */
  clientMessage: string;
  /** The clinical reason, for the therapist. */
  therapistReason: string;
  /** Set when the client must get medical help rather than merely skip the massage. */
  urgency?: 'same_day' | 'emergency';
  /** A qualified therapist may lift a caution with a recorded reason; never an A rule, nor where marked false. */
  overridable: boolean;
  /** Applies to every client; it adapts the session only where the plan would exceed it. */
  standing?: boolean;
}

/** One applying rule: where (the client's sites for this condition, if any) and the facts behind it. */
export interface Finding {
  ruleId: string;
  sites?: RegionRef[];
  facts?: string;
  /** The rule's words for the client with their own detail in them (their reading and the threshold it meets). */
  clientMessage?: string;
}

export interface ContraindicationEntry {
  id: string;
  /** The intake item, as clinical-reference names it. */
  condition: string;
  /** The class as the reference gives it (some conditions change class with their detail). */
  referenceClass: string;
  regionsAffected: string;
  sources: readonly SourceKey[];
  rules: readonly ScreeningRule[];
  /**
   * Which rules apply to this intake for a session starting at `moment` (its start instant, and the client's zone
   * in which their dates and times are read; see event-time.ts).
   */
  findings(intake: Intake, moment: ScreeningMoment): Finding[];
}

const WEEK = HOURS_PER_WEEK;
/**
 * Time windows, in hours of elapsed time from the event to the session's START (never calendar days: "the first 72
 * hours" counted as the injury's day plus two could end after 48 hours, so a strain on a Friday evening was no longer
 * flagged on Monday morning). Chosen here where the reference says "recent"; each window's rule cites its
 * sources in its entry.
 *
 * An event the client dated without a time of day is read the strictest way (see event-time.ts): for a window that
 * ends, its latest possible instant, the END of that day in the client's zone, because the window then lasts longest
 * (a strain "on Friday" is acute until 72 hours after Friday ends, so to the end of Monday); for a rule that
 * begins once enough time has passed (a stale blood-pressure reading, weeks of pregnancy), the START of that day. Stored
 * consultations that have dates only are read this way too.
 */
export const WINDOWS = {
  /** Acute sprain, strain or other injury: the first 72 hours after it happened [W-Sprain, W-Strain, KOS]. */
  acuteInjuryHours: 72,
  /** A fracture counts as acute while bone heals, about 12 weeks [W-Fract]. */
  acuteFractureHours: 12 * WEEK,
  /** Surgical site avoided (and clearance required) for 6 weeks; the reference's limit near a cancer site [NCCIH, MSU]. */
  surgeryHealingHours: 6 * WEEK,
  /** Then no deep pressure on the site until 12 weeks [NCCIH, MSU, UCLH]. */
  surgeryRecoveringHours: 12 * WEEK,
  /** Cancer-related clot: no massage of the legs without clearance for 6 months [WALT]. */
  cancerClotHours: 26 * WEEK,
  /** Heart attack: blocked while recovering (6 weeks), then clearance required for the rest of the first year [W-MI, HUM]. */
  heartAttackBlockedHours: 6 * WEEK,
  heartAttackClearanceHours: 365 * HOURS_PER_DAY,
  /** A blood-pressure reading older than this is treated as unknown [HUM, W-HTN]. */
  bloodPressureReadingHours: 90 * HOURS_PER_DAY,
} as const;

/** Side-lying from about 13 weeks of pregnancy [MG21, OSB]: weeks, not a window. */
export const SIDE_LYING_FROM_WEEK = 13;

const BP = { noDeepAbdomen: { systolic: 160, diastolic: 90 }, block: { systolic: 190, diastolic: 100 } } as const;
type BloodPressure = { systolic: number; diastolic: number };

/** Which numbers of a reading meet a threshold, in the client's words: "the bottom number (diastolic) is 100 or higher". */
function numbersAtOrAbove(reading: BloodPressure, threshold: BloodPressure): string | null {
  const met = [
    reading.systolic >= threshold.systolic && `the top number (systolic) is ${threshold.systolic} or higher`,
    reading.diastolic >= threshold.diastolic && `the bottom number (diastolic) is ${threshold.diastolic} or higher`,
  ].filter((m): m is string => typeof m === 'string');
  return met.length > 0 ? met.join(' and ') : null;
}

/** When it happened, for a flag's facts: 'on 2026-11-20 at 21:00', or '(date not known)'. */
const onDay = (event: EventTime) => (event.date === null ? '(date not known)' : `on ${eventInWords(event)}`);

/**
 * A detail the client answered "I don't know" (null in the intake: a reading, a date, a severity). Its entry screens
 * it as the strictest value it could be (no form fails open), and this rule says so: to the client, and to the
 * therapist, who is asked to confirm the detail with the client. It changes nothing itself; the strictest rule does.
 */
function unknownDetail(rule: {
  id: string;
  /** For the therapist: "their blood-pressure reading". */
  detail: string;
  /** What it was screened as, for the therapist: "190/100 or higher: no massage". */
  screenedAs: string;
  /** For the client: "your blood-pressure reading". */
  clientDetail: string;
  /** What it was taken as and what follows, for the client. */
  clientScreenedAs: string;
  /** What the client can do about it. */
  clientNext: string;
}): ScreeningRule {
  return {
    id: rule.id,
    class: 'R',
    effects: [
      {
        kind: 'advice',
        topic: 'therapist',
        text: `The client did not know ${rule.detail}: confirm it with them before the session.`,
      },
    ],
    overridable: false,
    clientMessage: `You did not know ${rule.clientDetail}, so we have screened it as the strictest it could be: ${rule.clientScreenedAs}. ${rule.clientNext}`,
    therapistReason: `The client did not know ${rule.detail}; screened as the strictest it could be (${rule.screenedAs}). Please confirm it with the client.`,
  };
}
const UPDATE_DETAILS = 'If you find out, update your health details and we will screen it again.';
const wholeBody: RegionScope = { kind: 'whole_body' };
const sites: RegionScope = { kind: 'sites' };
/**
 * Light pressure only next to a site: the client taps one of two neighbouring regions, and the injury, wound,
 * fracture, joint or tumour may lie on the other. The reference's class stays L on the site itself.
 */
const lightNextToSites: Effect = { kind: 'cap', scope: { kind: 'next_to_sites' }, max: 1 };
const group = (g: RegionGroup): RegionScope => ({ kind: 'group', group: g });
const listed = (items: readonly string[]) => items.join(', ');

const BP_READING_UNKNOWN = unknownDetail({
  id: 'hypertension.reading_unknown',
  detail: 'their blood-pressure reading',
  screenedAs: `${BP.block.systolic}/${BP.block.diastolic} or higher: no massage`,
  clientDetail: 'your blood-pressure reading',
  clientScreenedAs: `it could be ${BP.block.systolic}/${BP.block.diastolic} or higher, which is too high for massage`,
  clientNext:
    'Please take a reading at rest (a pharmacy or your doctor can help) and update your health details, so we can screen it again.',
});

const BP_DATE_UNKNOWN = unknownDetail({
  id: 'hypertension.reading_date_unknown',
  detail: 'when their blood-pressure reading was taken',
  screenedAs: `older than ${WINDOWS.bloodPressureReadingHours / HOURS_PER_DAY} days: no deep abdominal work`,
  clientDetail: 'when your blood-pressure reading was taken',
  clientScreenedAs: `more than ${WINDOWS.bloodPressureReadingHours / HOURS_PER_DAY} days ago, so there will be no deep work on your belly`,
  clientNext: 'Take a fresh reading at rest and update your health details, or bring it to the session.',
});

const HEART_ATTACK_DATE_UNKNOWN = unknownDetail({
  id: 'heart.date_unknown',
  detail: 'when their heart attack was',
  screenedAs: `within ${WINDOWS.heartAttackBlockedHours / WEEK} weeks: no massage`,
  clientDetail: 'when your heart attack was',
  clientScreenedAs: `within the last ${WINDOWS.heartAttackBlockedHours / WEEK} weeks, while your heart is still recovering, so massage has to wait`,
  clientNext: 'Please ask your cardiologist or doctor for the date and update your health details.',
});

const DVT_DATE_UNKNOWN = unknownDetail({
  id: 'dvt_history.date_unknown',
  detail: 'when their past blood clot was treated',
  screenedAs: 'within the last 6 months',
  clientDetail: 'when your blood clot was treated',
  clientScreenedAs: 'within the last 6 months',
  clientNext: UPDATE_DETAILS,
});

const DVT_CANCER_LINK_UNKNOWN = unknownDetail({
  id: 'dvt_history.cancer_link_unknown',
  detail: 'whether their past blood clot was linked to cancer',
  screenedAs: 'cancer-related: clearance required within 6 months',
  clientDetail: 'whether your blood clot was linked to cancer',
  clientScreenedAs: 'linked to cancer, so a note from your doctor may be needed',
  clientNext: UPDATE_DETAILS,
});

const OSTEOPOROSIS_SEVERITY_UNKNOWN = unknownDetail({
  id: 'osteoporosis.severity_unknown',
  detail: 'how severe their osteoporosis is',
  screenedAs: 'severe: medium pressure at most everywhere',
  clientDetail: 'how severe your osteoporosis is',
  clientScreenedAs: 'severe, so the session will use medium pressure at most',
  clientNext: UPDATE_DETAILS,
});

const FRACTURE_DATE_UNKNOWN = unknownDetail({
  id: 'acute_fracture.date_unknown',
  detail: 'when their fracture happened',
  screenedAs: `within ${WINDOWS.acuteFractureHours / WEEK} weeks: the site is avoided`,
  clientDetail: 'when you broke the bone',
  clientScreenedAs: 'recent, so that area will be left alone',
  clientNext: UPDATE_DETAILS,
});

const INJURY_DATE_UNKNOWN = unknownDetail({
  id: 'acute_injury.date_unknown',
  detail: 'when their injury happened',
  screenedAs: 'in the last 72 hours: the site is avoided, no cross-fibre friction',
  clientDetail: 'when your injury happened',
  clientScreenedAs: 'fresh, so that area will be left alone',
  clientNext: UPDATE_DETAILS,
});

const VARICOSE_SEVERITY_UNKNOWN = unknownDetail({
  id: 'varicose_veins.severity_unknown',
  detail: 'how severe their varicose veins are',
  screenedAs: 'severe: the area and everything below it avoided',
  clientDetail: 'how severe your varicose veins are',
  clientScreenedAs: 'severe, so those areas and the part of the leg below them will be left alone',
  clientNext: UPDATE_DETAILS,
});

const SURGERY_DATE_UNKNOWN = unknownDetail({
  id: 'recent_surgery.date_unknown',
  detail: 'when their operation was',
  screenedAs: `within ${WINDOWS.surgeryHealingHours / WEEK} weeks: site avoided, clearance required`,
  clientDetail: 'when your operation was',
  clientScreenedAs: `within the last ${WINDOWS.surgeryHealingHours / WEEK} weeks, so we need a note from your surgeon or doctor and the area will be left alone`,
  clientNext: UPDATE_DETAILS,
});

const CANCER_TREATMENT_UNKNOWN = unknownDetail({
  id: 'cancer.treatment_unknown',
  detail: 'when their cancer treatment ended',
  screenedAs: 'current or recent treatment: oncologist clearance required',
  clientDetail: 'whether your cancer treatment finished more than 12 months ago',
  clientScreenedAs: 'recent, so we need a note from your oncologist before deep pressure',
  clientNext: UPDATE_DETAILS,
});

export const CONTRAINDICATIONS: readonly ContraindicationEntry[] = [
  {
    id: 'blood_clot',
    condition: 'Current or suspected DVT or blood clot; calf pain with swelling, warmth, redness in one leg',
    referenceClass: 'A',
    regionsAffected: 'whole body',
    sources: ['W-Thromb', 'VTE10', 'PE24', 'UCLH'],
    rules: [
      {
        id: 'blood_clot.suspected',
        class: 'A',
        effects: [{ kind: 'block' }],
        urgency: 'same_day',
        overridable: false,
        clientMessage:
          'Pain in a calf with swelling, warmth or redness, or a known or suspected blood clot, needs a doctor today, not a massage. ' +
          `Please contact your doctor or an urgent care service today. If you become short of breath or have chest pain, call emergency services now (${EMERGENCY_NUMBERS}).`,
        therapistReason:
          'Current or suspected deep vein thrombosis: massage can dislodge the clot (pulmonary embolism has followed deep tissue massage). Do not massage; refer for same-day medical assessment.',
      },
    ],
    findings(intake) {
      const { bloodClot, legClotSigns } = intake.conditions;
      const found: Finding[] = [];
      if (bloodClot) found.push({ ruleId: 'blood_clot.suspected', facts: `${bloodClot.status} blood clot` });
      if (legClotSigns) {
        const legs = legClotSigns.side === 'both' ? ['left', 'right'] : [legClotSigns.side];
        found.push({
          ruleId: 'blood_clot.suspected',
          sites: legs.map((side) => `calves.${side}`),
          facts: `pain in the ${legClotSigns.side === 'both' ? 'calves' : `${legClotSigns.side} calf`} with ${listed(legClotSigns.signs)}`,
        });
      }
      return found;
    },
  },
  {
    id: 'dvt_history',
    condition: 'History of DVT (resolved)',
    referenceClass: 'R',
    regionsAffected: 'legs',
    sources: ['WALT'],
    rules: [
      {
        id: 'dvt_history.cancer_related_recent',
        class: 'R',
        effects: [
          { kind: 'cap', scope: group('legs'), max: 1 },
          { kind: 'clearance', level: 'required', from: 'your doctor or oncologist' },
        ],
        overridable: true,
        clientMessage:
          'Because you had a cancer-related blood clot in the last 6 months, we need a note from your doctor first, and your legs will only get light pressure.',
        therapistReason:
          'Cancer-related DVT within 6 months: no massage of the legs beyond light pressure, and medical clearance before the session.',
      },
      {
        id: 'dvt_history.resolved',
        class: 'R',
        effects: [
          { kind: 'cap', scope: group('legs'), max: 1 },
          { kind: 'clearance', level: 'advised', from: 'your doctor' },
        ],
        overridable: true,
        clientMessage:
          'Because you have had a blood clot, your legs will only get light pressure. It is a good idea to check with your doctor before deep work.',
        therapistReason: 'History of DVT: light pressure only on the legs; medical clearance advised.',
      },
      DVT_DATE_UNKNOWN,
      DVT_CANCER_LINK_UNKNOWN,
    ],
    findings(intake, moment) {
      const dvt = intake.conditions.dvtHistory;
      if (!dvt) return [];
      // Unknown is the strictest: cancer-related, and resolved at the session's start.
      const cancerRelated = dvt.cancerRelated ?? true;
      const recentCancerClot =
        cancerRelated && withinHoursAfter({ date: dvt.resolvedOn }, moment, WINDOWS.cancerClotHours);
      const facts = `resolved ${dvt.resolvedOn ?? '(date not known)'}${
        dvt.cancerRelated === null ? ', link to cancer not known' : dvt.cancerRelated ? ', cancer-related' : ''
      }`;
      // Where the strictest rule's own words would state what the client did not say, they read what was assumed.
      const assumed =
        dvt.cancerRelated === null ? DVT_CANCER_LINK_UNKNOWN : dvt.resolvedOn === null ? DVT_DATE_UNKNOWN : null;
      return [
        recentCancerClot
          ? {
              ruleId: 'dvt_history.cancer_related_recent',
              facts,
              ...(assumed ? { clientMessage: assumed.clientMessage } : {}),
            }
          : { ruleId: 'dvt_history.resolved', facts },
        ...(dvt.resolvedOn === null ? [{ ruleId: 'dvt_history.date_unknown', facts }] : []),
        ...(dvt.cancerRelated === null ? [{ ruleId: 'dvt_history.cancer_link_unknown', facts }] : []),
      ];
    },
  },
  {
    id: 'bleeding_risk',
    condition: 'Anticoagulants, bleeding disorder or low platelets',
    referenceClass: 'R',
    regionsAffected: 'whole body',
    sources: ['NCCIH', 'MSD', 'MAYO'],
    rules: [
      {
        id: 'bleeding_risk',
        class: 'R',
        effects: [
          { kind: 'cap', scope: wholeBody, max: 2 },
          {
            kind: 'advice',
            topic: 'therapist',
            text: 'Bruising risk: no deep stripping or sustained deep compression; check the skin for bruising before and after.',
          },
        ],
        overridable: true,
        clientMessage: 'Because you bruise or bleed more easily, pressure will stay at medium or lighter everywhere.',
        therapistReason:
          'Anticoagulants, bleeding disorder or low platelets: no deep pressure anywhere (cap at medium); bruising risk.',
      },
    ],
    findings(intake) {
      const risk = intake.conditions.bleedingRisk;
      if (!risk) return [];
      return [
        {
          ruleId: 'bleeding_risk',
          facts: [listed(risk.causes).replaceAll('_', ' '), risk.medication].filter(Boolean).join(': '),
        },
      ];
    },
  },
  {
    id: 'fever',
    condition: 'Fever or acute systemic infection',
    referenceClass: 'A',
    regionsAffected: 'whole body',
    sources: ['W-Fever', 'HUM'],
    rules: [
      {
        id: 'fever',
        class: 'A',
        effects: [{ kind: 'block' }],
        overridable: false,
        clientMessage:
          'Massage is not a good idea while you have a fever or an infection. Please rebook once you are well again, and update your health details then.',
        therapistReason:
          'Fever or acute systemic infection: massage adds circulatory load and spreads infection risk. No massage; rebook when well.',
      },
    ],
    findings: (intake) => (intake.conditions.feverOrInfection ? [{ ruleId: 'fever' }] : []),
  },
  {
    id: 'open_wound',
    condition: 'Open wound, unhealed skin injury',
    referenceClass: 'L',
    regionsAffected: 'site',
    sources: ['W-Open'],
    rules: [
      {
        id: 'open_wound',
        class: 'L',
        // W-Open: avoid the site until healed; light pressure next to it, where the wound may really lie.
        effects: [{ kind: 'exclude', scope: sites }, lightNextToSites],
        overridable: true,
        clientMessage:
          'Areas with an open or unhealed wound will be left alone until they have healed, and the areas next to them will only get light pressure.',
        therapistReason:
          'Open wound or unhealed skin: avoid the site until healed (infection, tissue damage); light pressure only next to it.',
      },
    ],
    findings: (intake) =>
      intake.conditions.openWounds ? [{ ruleId: 'open_wound', sites: intake.conditions.openWounds.regions }] : [],
  },
  {
    id: 'skin_infection',
    condition: 'Skin infection (cellulitis etc.), contagious rash',
    referenceClass: 'L (A if widespread)',
    regionsAffected: 'site',
    sources: ['HUM'],
    rules: [
      {
        id: 'skin_infection.widespread',
        class: 'A',
        effects: [{ kind: 'block' }],
        overridable: false,
        clientMessage:
          'A skin infection or rash over large areas means massage has to wait until it has cleared. Please rebook then.',
        therapistReason: 'Widespread skin infection or contagious rash: no massage (spread, worsening).',
      },
      {
        id: 'skin_infection.local',
        class: 'L',
        effects: [{ kind: 'exclude', scope: sites }],
        overridable: true,
        clientMessage: 'Areas with a skin infection or rash will be left alone.',
        therapistReason: 'Local skin infection or contagious rash: avoid the site.',
      },
    ],
    findings(intake) {
      const infection = intake.conditions.skinInfection;
      if (!infection) return [];
      return infection.widespread
        ? [{ ruleId: 'skin_infection.widespread' }]
        : [{ ruleId: 'skin_infection.local', sites: infection.regions }];
    },
  },
  {
    id: 'osteoporosis',
    condition: 'Osteoporosis',
    referenceClass: 'R (L over fragile bone; severe: no deep work)',
    regionsAffected: 'spine, ribs, hips, wrists',
    sources: ['W-Ost', 'MSD', 'MAYO', 'WRN-OST'],
    rules: [
      {
        id: 'osteoporosis.fragile_bone',
        class: 'R',
        effects: [
          { kind: 'cap', scope: group('spine'), max: 1 },
          { kind: 'cap', scope: group('ribs'), max: 1 },
          { kind: 'cap', scope: group('hips'), max: 1 },
          { kind: 'cap', scope: group('wrists'), max: 1 },
        ],
        overridable: true,
        clientMessage: 'Because of osteoporosis, your spine, ribs, hips and wrists will only get light pressure.',
        therapistReason:
          'Osteoporosis: light pressure only over fragile bone (spine, ribs, hips, wrists); fracture risk.',
      },
      {
        id: 'osteoporosis.severe',
        class: 'R',
        effects: [{ kind: 'cap', scope: wholeBody, max: 2 }],
        overridable: true,
        clientMessage: 'Because your osteoporosis is severe, the session will use medium pressure at most, never deep.',
        therapistReason: 'Severe osteoporosis: no deep tissue work anywhere.',
      },
      OSTEOPOROSIS_SEVERITY_UNKNOWN,
    ],
    findings(intake) {
      const osteoporosis = intake.conditions.osteoporosis;
      if (!osteoporosis) return [];
      const facts =
        osteoporosis.severity === null ? 'osteoporosis, severity not known' : `${osteoporosis.severity} osteoporosis`;
      return [
        { ruleId: 'osteoporosis.fragile_bone', facts },
        ...(osteoporosis.severity === 'severe' ? [{ ruleId: 'osteoporosis.severe', facts }] : []),
        ...(osteoporosis.severity === null
          ? [{ ruleId: 'osteoporosis.severe', facts, clientMessage: OSTEOPOROSIS_SEVERITY_UNKNOWN.clientMessage }]
          : []),
        ...(osteoporosis.severity === null ? [{ ruleId: 'osteoporosis.severity_unknown', facts }] : []),
      ];
    },
  },
  {
    id: 'acute_fracture',
    condition: 'Acute fracture',
    referenceClass: 'L',
    regionsAffected: 'site',
    sources: ['W-Fract'],
    rules: [
      {
        id: 'acute_fracture',
        class: 'L',
        // W-Fract: avoid the site; light pressure next to it, where the break may really lie.
        effects: [{ kind: 'exclude', scope: sites }, lightNextToSites],
        overridable: true,
        clientMessage:
          'A recently broken bone will be left alone while it heals, and the areas next to it will only get light pressure.',
        therapistReason: `Fracture within ${WINDOWS.acuteFractureHours / WEEK} weeks: avoid the site; light pressure only next to it.`,
      },
      FRACTURE_DATE_UNKNOWN,
    ],
    findings: (intake, moment) =>
      intake.injuries
        .filter((i) => i.kind === 'fracture' && withinHoursAfter(i, moment, WINDOWS.acuteFractureHours))
        .flatMap((i) => {
          const found = { sites: i.regions, facts: `fracture ${onDay(i)}` };
          return [
            i.date === null
              ? { ruleId: 'acute_fracture', ...found, clientMessage: FRACTURE_DATE_UNKNOWN.clientMessage }
              : { ruleId: 'acute_fracture', ...found },
            ...(i.date === null ? [{ ruleId: 'acute_fracture.date_unknown', ...found }] : []),
          ];
        }),
  },
  {
    id: 'acute_injury',
    condition: 'Acute sprain, strain or injury (client-reported, recent days)',
    referenceClass: 'L',
    regionsAffected: 'site',
    sources: ['W-Sprain', 'W-Strain', 'KOS', 'OMB'],
    rules: [
      {
        id: 'acute_injury',
        class: 'L',
        // W-Sprain, W-Strain, KOS: avoid the site while acute; OMB: no cross-fibre friction on an acute lesion, so
        // none next to it either; light pressure next to it, where the injury may really lie.
        effects: [
          { kind: 'exclude', scope: sites },
          { kind: 'avoid_technique', scope: sites, technique: 'cross_fibre_friction' },
          lightNextToSites,
          { kind: 'avoid_technique', scope: { kind: 'next_to_sites' }, technique: 'cross_fibre_friction' },
        ],
        overridable: true,
        clientMessage: `A fresh injury (from the last ${WINDOWS.acuteInjuryHours} hours) will be left alone for now, and the areas next to it will only get light pressure; it can be worked on once it has settled.`,
        therapistReason: `Acute sprain, strain or injury (first ${WINDOWS.acuteInjuryHours} hours, counted to the session's start; an injury without a time of day counts from the end of its day): avoid the site, light pressure only next to it, no cross-fibre friction on or next to it while acute; fine once subacute.`,
      },
      INJURY_DATE_UNKNOWN,
    ],
    findings: (intake, moment) =>
      intake.injuries
        .filter((i) => i.kind !== 'fracture' && withinHoursAfter(i, moment, WINDOWS.acuteInjuryHours))
        .flatMap((i) => {
          const found = { sites: i.regions, facts: `${i.kind} ${onDay(i)}` };
          return [
            i.date === null
              ? { ruleId: 'acute_injury', ...found, clientMessage: INJURY_DATE_UNKNOWN.clientMessage }
              : { ruleId: 'acute_injury', ...found },
            ...(i.date === null ? [{ ruleId: 'acute_injury.date_unknown', ...found }] : []),
          ];
        }),
  },
  {
    id: 'herniated_disc',
    condition: 'Herniated disc',
    referenceClass: 'R',
    regionsAffected: 'lumbar / cervical spine',
    sources: ['W-Disc', 'YIN14'],
    rules: [
      {
        id: 'herniated_disc',
        class: 'R',
        effects: [
          { kind: 'cap', scope: sites, max: 2 },
          { kind: 'clearance', level: 'advised', from: 'your doctor or physiotherapist' },
        ],
        overridable: true,
        clientMessage:
          'Because of your disc problem, the affected part of your spine will get medium pressure at most. It is a good idea to check with your doctor or physiotherapist.',
        therapistReason:
          'Herniated disc: no deep pressure on the affected spinal region; clearance advised; ask the red-flag questions.',
      },
      unknownDetail({
        id: 'herniated_disc.level_unknown',
        detail: 'where their herniated disc is',
        screenedAs: 'both neck and low back: medium pressure at most on each',
        clientDetail: 'where your disc problem is',
        clientScreenedAs: 'both your neck and your low back, so both will get medium pressure at most',
        clientNext: UPDATE_DETAILS,
      }),
    ],
    findings(intake) {
      const disc = intake.conditions.herniatedDisc;
      if (!disc) return [];
      // W-Disc, YIN14: the spinal region of the disc, that is the segment itself and the back region over it.
      const regionsOf = { cervical: ['spine_cervical', 'neck'], lumbar: ['spine_lumbar', 'low_back'] } as const;
      // Not knowing where is the strictest answer: both.
      const levels = disc.levels ?? (['cervical', 'lumbar'] as const);
      const found = {
        sites: levels.flatMap((level) => regionsOf[level].flatMap((id) => refsOfRegion(id))),
        facts: disc.levels === null ? 'disc level not known' : `${listed(disc.levels)} disc`,
      };
      return [
        { ruleId: 'herniated_disc', ...found },
        ...(disc.levels === null ? [{ ruleId: 'herniated_disc.level_unknown', ...found }] : []),
      ];
    },
  },
  {
    id: 'spinal_red_flags',
    condition: 'Red-flag answers with back or neck pain (section 5, asked with herniated disc)',
    referenceClass:
      'A for saddle numbness, bladder or bowel change, progressive leg weakness; R for new numbness or radiating pain',
    regionsAffected: 'whole body',
    sources: ['AHCPR', 'GRANT11'],
    rules: [
      {
        id: 'spinal_red_flags.emergency',
        class: 'A',
        effects: [{ kind: 'block' }],
        urgency: 'emergency',
        overridable: false,
        clientMessage:
          'Numbness around the groin or buttocks, new bladder or bowel problems, or legs getting weaker need urgent medical care, not a massage. ' +
          `${CALL_EMERGENCY_NOW} Or go to an emergency department now.`,
        therapistReason:
          'Cauda equina warning signs (saddle numbness, bladder or bowel change, progressive leg weakness): emergency; the client has been told to call the emergency number now. No massage.',
      },
      {
        id: 'spinal_red_flags.radiating',
        class: 'R',
        effects: [{ kind: 'clearance', level: 'required', from: 'your doctor' }],
        overridable: true,
        clientMessage:
          'New numbness, or pain that shoots down an arm or leg, should be checked by a doctor before deep tissue massage. We need a note from them first.',
        therapistReason:
          'New numbness or radiating pain: possible nerve root involvement; medical clearance before deep work.',
      },
    ],
    findings(intake) {
      const flags = intake.conditions.spinalRedFlags;
      if (!flags) return [];
      const found: Finding[] = [];
      const emergency = [
        flags.saddleNumbness && 'saddle numbness',
        flags.bladderOrBowelChange && 'bladder or bowel change',
        flags.progressiveLegWeakness && 'progressive leg weakness',
      ].filter((f): f is string => typeof f === 'string');
      if (emergency.length > 0) found.push({ ruleId: 'spinal_red_flags.emergency', facts: listed(emergency) });
      if (flags.newNumbnessOrRadiatingPain)
        found.push({ ruleId: 'spinal_red_flags.radiating', facts: 'new numbness or radiating pain' });
      return found;
    },
  },
  {
    id: 'rheumatoid_arthritis',
    condition: 'Rheumatoid arthritis flare',
    referenceClass: 'A during flare / L joints',
    regionsAffected: 'affected joints',
    sources: ['W-RA', 'HUM'],
    rules: [
      {
        id: 'rheumatoid_arthritis.flare',
        class: 'A',
        effects: [{ kind: 'block' }],
        overridable: false,
        clientMessage:
          'During a rheumatoid arthritis flare, massage can make things worse. Please rebook when the flare has settled.',
        therapistReason: 'Rheumatoid arthritis in flare: systemic inflammation; no massage during the flare.',
      },
      {
        id: 'rheumatoid_arthritis.joints',
        class: 'L',
        // W-RA, HUM: avoid the affected joints; light pressure next to them, where the joint may really lie.
        effects: [{ kind: 'exclude', scope: sites }, lightNextToSites],
        overridable: true,
        clientMessage:
          'Joints affected by rheumatoid arthritis will be left alone, and the areas next to them will only get light pressure.',
        therapistReason:
          'Rheumatoid arthritis outside a flare: avoid the affected joints; light pressure only next to them.',
      },
    ],
    findings(intake) {
      const ra = intake.conditions.rheumatoidArthritis;
      if (!ra) return [];
      if (ra.flare) return [{ ruleId: 'rheumatoid_arthritis.flare', facts: 'in flare' }];
      return ra.joints.length > 0 ? [{ ruleId: 'rheumatoid_arthritis.joints', sites: ra.joints }] : [];
    },
  },
  {
    id: 'osteoarthritis',
    condition: 'Osteoarthritis, joint acutely inflamed',
    referenceClass: 'L',
    regionsAffected: 'affected joints',
    sources: ['W-OA'],
    rules: [
      {
        id: 'osteoarthritis.inflamed',
        class: 'L',
        // W-OA: avoid the joint while acute; light pressure next to it, where the joint may really lie.
        effects: [{ kind: 'exclude', scope: sites }, lightNextToSites],
        overridable: true,
        clientMessage:
          'Joints that are inflamed right now will be left alone until they calm down, and the areas next to them will only get light pressure.',
        therapistReason:
          'Osteoarthritis with an acutely inflamed joint: avoid the joint while acute; light pressure only next to it.',
      },
    ],
    findings: (intake) => {
      const joints = intake.conditions.osteoarthritis?.inflamedJoints ?? [];
      return joints.length > 0 ? [{ ruleId: 'osteoarthritis.inflamed', sites: joints }] : [];
    },
  },
  {
    id: 'varicose_veins',
    condition: 'Varicose veins',
    referenceClass: 'L (severe) / R (mild)',
    regionsAffected: 'legs',
    sources: ['W-Var'],
    rules: [
      {
        id: 'varicose_veins.severe',
        class: 'L',
        effects: [{ kind: 'exclude', scope: { kind: 'sites_and_distal' } }],
        overridable: true,
        clientMessage: 'Areas with severe varicose veins, and the part of the leg below them, will be left alone.',
        therapistReason: 'Severe varicose veins: avoid the area and everything distal to it.',
      },
      {
        id: 'varicose_veins.mild',
        class: 'R',
        effects: [{ kind: 'cap', scope: sites, max: 2 }],
        overridable: true,
        clientMessage: 'Areas with mild varicose veins will get medium pressure at most.',
        therapistReason: 'Mild varicose veins: no deep specific work on them.',
      },
      VARICOSE_SEVERITY_UNKNOWN,
    ],
    findings(intake) {
      const veins = intake.conditions.varicoseVeins;
      if (!veins) return [];
      if (veins.severity === null)
        return [
          {
            ruleId: 'varicose_veins.severe',
            sites: veins.regions,
            facts: 'severity not known',
            clientMessage: VARICOSE_SEVERITY_UNKNOWN.clientMessage,
          },
          { ruleId: 'varicose_veins.severity_unknown', sites: veins.regions, facts: 'severity not known' },
        ];
      return [{ ruleId: `varicose_veins.${veins.severity}`, sites: veins.regions }];
    },
  },
  {
    id: 'recent_surgery',
    condition: 'Recent surgery (weeks)',
    referenceClass: 'L + clearance',
    regionsAffected: 'surgical site',
    sources: ['NCCIH', 'MSU', 'UCLH'],
    rules: [
      {
        id: 'recent_surgery.healing',
        class: 'L',
        effects: [
          { kind: 'exclude', scope: sites },
          { kind: 'clearance', level: 'required', from: 'your surgeon or doctor' },
          {
            kind: 'advice',
            topic: 'therapist',
            text: 'After surgery the risk of a blood clot is higher: check the legs for one-sided swelling, warmth or redness before working.',
          },
        ],
        overridable: true,
        clientMessage: `Because you had surgery in the last ${WINDOWS.surgeryHealingHours / WEEK} weeks, we need a note from your surgeon or doctor first, and the area of the operation will be left alone.`,
        therapistReason: `Surgery within ${WINDOWS.surgeryHealingHours / WEEK} weeks: avoid the surgical site (no deep pressure near a cancer surgical site before 6 weeks); post-operative DVT risk; clearance required.`,
      },
      {
        // MSU: no deep pressure near a cancer surgical site before 6 weeks; the site itself is excluded above.
        id: 'recent_surgery.near_cancer_site',
        class: 'R',
        effects: [{ kind: 'cap', scope: { kind: 'next_to_sites' }, max: 2 }],
        overridable: true,
        clientMessage: `Because your operation in the last ${WINDOWS.surgeryHealingHours / WEEK} weeks was for cancer, the areas next to it will get medium pressure at most.`,
        therapistReason: `Cancer surgery within ${WINDOWS.surgeryHealingHours / WEEK} weeks: no deep pressure near the surgical site.`,
      },
      {
        id: 'recent_surgery.recovering',
        class: 'R',
        effects: [{ kind: 'cap', scope: sites, max: 2 }],
        overridable: true,
        clientMessage: 'The area of your recent operation will get medium pressure at most while it finishes healing.',
        therapistReason: `Surgery ${WINDOWS.surgeryHealingHours / WEEK} to ${WINDOWS.surgeryRecoveringHours / WEEK} weeks ago: no deep pressure on the surgical site.`,
      },
      SURGERY_DATE_UNKNOWN,
    ],
    findings(intake, moment) {
      return intake.surgeries.flatMap((s): Finding[] => {
        const facts = `surgery ${onDay(s)}${s.cancerRelated ? ' (cancer-related)' : ''}`;
        const nearCancerSite = (): Finding[] =>
          s.cancerRelated ? [{ ruleId: 'recent_surgery.near_cancer_site', sites: s.regions, facts }] : [];
        if (s.date === null)
          return [
            {
              ruleId: 'recent_surgery.healing',
              sites: s.regions,
              facts,
              clientMessage: SURGERY_DATE_UNKNOWN.clientMessage,
            },
            ...nearCancerSite(),
            { ruleId: 'recent_surgery.date_unknown', sites: s.regions, facts },
          ];
        if (withinHoursAfter(s, moment, WINDOWS.surgeryHealingHours))
          return [{ ruleId: 'recent_surgery.healing', sites: s.regions, facts }, ...nearCancerSite()];
        if (withinHoursAfter(s, moment, WINDOWS.surgeryRecoveringHours))
          return [{ ruleId: 'recent_surgery.recovering', sites: s.regions, facts }];
        return [];
      });
    },
  },
  {
    id: 'cancer',
    condition: 'Cancer (current or recent treatment)',
    referenceClass: 'R',
    regionsAffected: 'tumour sites, bone metastases, lymphoedema-risk areas',
    sources: ['NCCIH', 'MSD', 'WALT'],
    rules: [
      {
        id: 'cancer.treatment',
        class: 'R',
        effects: [{ kind: 'clearance', level: 'required', from: 'your oncologist' }],
        overridable: true,
        clientMessage:
          'Because you are having, or recently had, cancer treatment, we need a note from your oncologist before deep pressure.',
        therapistReason: 'Current or recent cancer treatment: oncologist clearance before deep pressure.',
      },
      {
        id: 'cancer.sites',
        class: 'L',
        // NCCIH, MSD, WALT: never press a tumour or metastasis site; a bone metastasis on the spine makes the whole
        // spine and the back over it such a site (see findings); light pressure next to every site.
        effects: [{ kind: 'exclude', scope: sites }, lightNextToSites],
        overridable: false,
        clientMessage:
          'Areas where there is a tumour or where cancer has reached the bone are never pressed, and the areas next to them only get light pressure. If cancer has reached the spine, the whole spine and back over it are left alone.',
        therapistReason:
          'Tumour or bone metastasis site: never press; light pressure only next to it. A spinal bone metastasis: never press any part of the spine or the back over it.',
      },
      {
        id: 'cancer.lymphoedema',
        class: 'R',
        effects: [{ kind: 'cap', scope: sites, max: 1 }],
        overridable: true,
        clientMessage:
          'Areas at risk of lymphoedema (swelling after lymph nodes were treated) will only get light pressure.',
        therapistReason: 'Lymphoedema-risk area: light pressure only.',
      },
      CANCER_TREATMENT_UNKNOWN,
    ],
    findings(intake) {
      const cancer = intake.conditions.cancer;
      if (!cancer) return [];
      const found: Finding[] = [];
      if (cancer.treatment === null) {
        const facts = 'when treatment ended not known';
        found.push(
          { ruleId: 'cancer.treatment', facts, clientMessage: CANCER_TREATMENT_UNKNOWN.clientMessage },
          { ruleId: 'cancer.treatment_unknown', facts },
        );
      } else if (cancer.treatment !== 'none')
        found.push({ ruleId: 'cancer.treatment', facts: `${cancer.treatment} treatment` });
      // A bone metastasis on the spine, or tapped on the back over it, is rarely alone there: the whole spine.
      const spinal = cancer.boneMetastasisSites.some(isOnSpine);
      const pressed = [...cancer.tumourSites, ...cancer.boneMetastasisSites, ...(spinal ? refsOfWholeSpine() : [])];
      if (pressed.length > 0)
        found.push({
          ruleId: 'cancer.sites',
          sites: [...new Set(pressed)],
          ...(spinal ? { facts: 'bone metastasis on the spine' } : {}),
        });
      if (cancer.lymphoedemaRiskRegions.length > 0)
        found.push({ ruleId: 'cancer.lymphoedema', sites: cancer.lymphoedemaRiskRegions });
      return found;
    },
  },
  {
    id: 'diabetes_neuropathy',
    condition: 'Diabetes with neuropathy',
    referenceClass: 'R',
    regionsAffected: 'feet, hands',
    sources: ['WRN-DM', 'CEI'],
    rules: [
      {
        id: 'diabetes_neuropathy',
        class: 'R',
        effects: [{ kind: 'cap', scope: sites, max: 1 }],
        overridable: true,
        clientMessage:
          'Where you have less feeling (usually feet and hands), pressure will stay light, because you may not notice if it is too much.',
        therapistReason:
          'Diabetic neuropathy: reduced sensation, so the client cannot judge pressure; light pressure only there.',
      },
    ],
    findings(intake) {
      const neuropathy = intake.conditions.diabetesNeuropathy;
      if (!neuropathy) return [];
      const where = neuropathy.reducedSensation.length > 0 ? neuropathy.reducedSensation : refsOfGroup('extremities');
      return [{ ruleId: 'diabetes_neuropathy', sites: where }];
    },
  },
  {
    id: 'hypertension',
    condition: 'High blood pressure',
    referenceClass: 'R (>= 160/90 no deep abdominal work); A at rest >= 190/100',
    regionsAffected: 'abdomen / whole body',
    sources: ['HUM', 'W-HTN'],
    rules: [
      {
        id: 'hypertension.severe',
        class: 'A',
        effects: [{ kind: 'block' }],
        overridable: false,
        clientMessage: `Your blood pressure reading (${BP.block.systolic}/${BP.block.diastolic} or higher) is too high for massage. Please see your doctor about it, and rebook once it is under control.`,
        therapistReason: `Resting blood pressure at or above ${BP.block.systolic}/${BP.block.diastolic}: no massage.`,
      },
      {
        id: 'hypertension.high',
        class: 'R',
        effects: [{ kind: 'cap', scope: { kind: 'refs', refs: refsOfRegion('abdomen') }, max: 2 }],
        overridable: true,
        clientMessage: 'Because your blood pressure is high, there will be no deep work on your belly.',
        therapistReason: `Blood pressure at or above ${BP.noDeepAbdomen.systolic}/${BP.noDeepAbdomen.diastolic}: no deep abdominal work.`,
      },
      {
        id: 'hypertension.no_recent_reading',
        class: 'R',
        effects: [
          { kind: 'cap', scope: { kind: 'refs', refs: refsOfRegion('abdomen') }, max: 2 },
          {
            kind: 'advice',
            topic: 'session',
            text: 'Take a fresh blood-pressure reading at rest and update your health details, or bring it to the session.',
          },
        ],
        overridable: true,
        clientMessage: `Your blood-pressure reading is more than ${WINDOWS.bloodPressureReadingHours / HOURS_PER_DAY} days old. Until we have a recent one, there will be no deep work on your belly.`,
        therapistReason: `Hypertension with no reading in the last ${WINDOWS.bloodPressureReadingHours / HOURS_PER_DAY} days: treated as high (no deep abdominal work) until a fresh reading.`,
      },
      BP_READING_UNKNOWN,
      BP_DATE_UNKNOWN,
    ],
    findings(intake, moment) {
      const bp = intake.conditions.hypertension;
      if (!bp) return [];
      // Not knowing the reading is the strictest reading: no massage (its date then says nothing).
      if (bp.systolic === null || bp.diastolic === null) {
        const facts = 'reading not known';
        return [
          { ruleId: 'hypertension.severe', facts, clientMessage: BP_READING_UNKNOWN.clientMessage },
          { ruleId: 'hypertension.reading_unknown', facts },
        ];
      }
      const reading = { systolic: bp.systolic, diastolic: bp.diastolic };
      const quoted = `${reading.systolic}/${reading.diastolic}`;
      const facts = `${quoted} ${onDay({ date: bp.measuredOn })}`;
      const found: Finding[] = [];
      const severe = numbersAtOrAbove(reading, BP.block);
      const high = numbersAtOrAbove(reading, BP.noDeepAbdomen);
      // The client reads their own reading and the threshold it meets.
      if (severe)
        found.push({
          ruleId: 'hypertension.severe',
          facts,
          clientMessage: `Your blood pressure reading of ${quoted} is too high for massage: ${severe}. Please see your doctor about it, and rebook once it is under control.`,
        });
      else if (high)
        found.push({
          ruleId: 'hypertension.high',
          facts,
          clientMessage: `Your blood pressure reading of ${quoted} is high (${high}), so there will be no deep work on your belly.`,
        });
      if (bp.measuredOn === null) {
        found.push(
          { ruleId: 'hypertension.no_recent_reading', facts, clientMessage: BP_DATE_UNKNOWN.clientMessage },
          { ruleId: 'hypertension.reading_date_unknown', facts },
        );
        // Stale once the reading's earliest instant is more than the window ago (strictest: it is treated as unknown soonest).
      } else if (hoursSince({ date: bp.measuredOn }, moment, 'earliest') > WINDOWS.bloodPressureReadingHours)
        found.push({ ruleId: 'hypertension.no_recent_reading', facts });
      return found;
    },
  },
  {
    id: 'heart',
    condition: 'Recent heart attack / unstable angina',
    referenceClass: 'A (then R with clearance)',
    regionsAffected: 'whole body',
    // UCLH and PE24: chest pain is an emergency (clinical-reference section 5), so unstable angina is one.
    sources: ['W-MI', 'HUM', 'UCLH', 'PE24'],
    rules: [
      {
        // Chest pain at rest or getting worse is not a condition to recover from before a massage: it can be a heart
        // attack under way, so the answer is the emergency number now [UCLH, PE24].
        id: 'heart.unstable_angina',
        class: 'A',
        effects: [{ kind: 'block' }],
        urgency: 'emergency',
        overridable: false,
        clientMessage:
          'Chest pain at rest, or chest pain that is getting worse, can be a heart attack and needs emergency care, not a massage. ' +
          `${CALL_EMERGENCY_NOW} Do not drive yourself.`,
        therapistReason:
          'Unstable angina (chest pain at rest or getting worse): possible heart attack; emergency, the client has been told to call the emergency number now. No massage.',
      },
      {
        id: 'heart.recovering',
        class: 'A',
        effects: [{ kind: 'block' }],
        overridable: false,
        clientMessage: `Massage has to wait while your heart recovers, at least ${WINDOWS.heartAttackBlockedHours / WEEK} weeks after a heart attack. Please ask your cardiologist when it is safe.`,
        therapistReason: `Heart attack within ${WINDOWS.heartAttackBlockedHours / WEEK} weeks: no massage.`,
      },
      {
        id: 'heart.clearance',
        class: 'R',
        effects: [{ kind: 'clearance', level: 'required', from: 'your cardiologist or doctor' }],
        overridable: true,
        clientMessage:
          'Because you had a heart attack in the last year, we need a note from your cardiologist or doctor before the session.',
        therapistReason: `Heart attack ${WINDOWS.heartAttackBlockedHours / WEEK} weeks to a year ago: medical clearance before massage.`,
      },
      HEART_ATTACK_DATE_UNKNOWN,
    ],
    findings(intake, moment) {
      const { heartAttack, unstableAngina } = intake.conditions;
      const found: Finding[] = [];
      if (unstableAngina)
        found.push({ ruleId: 'heart.unstable_angina', facts: 'chest pain at rest or getting worse (unstable angina)' });
      if (heartAttack?.date === null) {
        // Not knowing when is the strictest answer: still recovering.
        const facts = 'heart attack, date not known';
        found.push(
          { ruleId: 'heart.recovering', facts, clientMessage: HEART_ATTACK_DATE_UNKNOWN.clientMessage },
          { ruleId: 'heart.date_unknown', facts },
        );
      } else if (heartAttack) {
        const facts = `heart attack on ${heartAttack.date}`;
        if (withinHoursAfter(heartAttack, moment, WINDOWS.heartAttackBlockedHours))
          found.push({ ruleId: 'heart.recovering', facts });
        else if (withinHoursAfter(heartAttack, moment, WINDOWS.heartAttackClearanceHours))
          found.push({ ruleId: 'heart.clearance', facts });
      }
      return found;
    },
  },
  {
    id: 'kidney_failure',
    condition: 'Kidney failure',
    referenceClass: 'R (older sources: A)',
    regionsAffected: 'loin',
    sources: ['W-Renal', 'WRN-KID'],
    rules: [
      {
        id: 'kidney_failure',
        class: 'R',
        effects: [
          { kind: 'cap', scope: group('loin'), max: 2 },
          { kind: 'clearance', level: 'required', from: 'your kidney doctor' },
          { kind: 'advice', topic: 'therapist', text: 'No fast draining strokes over the loin.' },
        ],
        overridable: true,
        clientMessage:
          'Because of your kidneys, we need a note from your kidney doctor first, and there will be no deep work over your lower back and kidney area.',
        therapistReason: 'Kidney failure: no deep or fast draining strokes over the loin; medical clearance.',
      },
    ],
    findings: (intake) => (intake.conditions.kidneyFailure ? [{ ruleId: 'kidney_failure' }] : []),
  },
  {
    id: 'fibromyalgia',
    condition: 'Fibromyalgia',
    referenceClass: 'R',
    regionsAffected: 'whole body',
    sources: ['W-FM'],
    rules: [
      {
        id: 'fibromyalgia',
        class: 'R',
        effects: [
          { kind: 'cap', scope: wholeBody, max: 2 },
          {
            kind: 'advice',
            topic: 'session',
            text: 'Keep the first session short and check pressure often; soreness afterwards can be stronger.',
          },
        ],
        overridable: true,
        clientMessage:
          'Because fibromyalgia makes tissues more sensitive, pressure will stay at medium or lighter, and a first session should be kept short.',
        therapistReason: 'Fibromyalgia: pain-sensitive; cap pressure at medium, short first session.',
      },
    ],
    findings: (intake) => (intake.conditions.fibromyalgia ? [{ ruleId: 'fibromyalgia' }] : []),
  },
  {
    id: 'pregnancy',
    condition: 'Pregnancy',
    referenceClass: 'R',
    regionsAffected: 'abdomen, legs, positioning',
    sources: ['MG21', 'OSB', 'UCLH'],
    rules: [
      {
        id: 'pregnancy',
        class: 'R',
        effects: [
          { kind: 'cap', scope: group('legs'), max: 2 },
          { kind: 'cap', scope: { kind: 'refs', refs: refsOfRegion('abdomen') }, max: 1 },
          {
            kind: 'advice',
            topic: 'therapist',
            text: 'Pregnancy: a prenatal-trained therapist should give this session.',
          },
        ],
        overridable: true,
        clientMessage:
          'Because you are pregnant, there will be no deep work on your legs (blood clots are more likely in pregnancy) and only light touch on your belly. A therapist trained in pregnancy massage is best.',
        therapistReason:
          'Pregnancy: no deep work on the legs (DVT risk), light only on the abdomen; prenatal-trained therapist.',
      },
      {
        id: 'pregnancy.side_lying',
        class: 'R',
        effects: [
          {
            kind: 'advice',
            topic: 'position',
            text: 'Side-lying (left side preferred), supported with pillows; not flat on the back or front.',
          },
        ],
        overridable: true,
        clientMessage: `From about ${SIDE_LYING_FROM_WEEK} weeks of pregnancy you will lie on your side (left side preferred), supported with pillows.`,
        therapistReason: `Pregnancy from about ${SIDE_LYING_FROM_WEEK} weeks: side-lying, left side preferred.`,
      },
      unknownDetail({
        id: 'pregnancy.weeks_unknown',
        detail: 'how many weeks pregnant they are',
        screenedAs: `${SIDE_LYING_FROM_WEEK} weeks or more: side-lying`,
        clientDetail: 'how many weeks pregnant you are',
        clientScreenedAs: `${SIDE_LYING_FROM_WEEK} weeks or more, so you will lie on your side`,
        clientNext: UPDATE_DETAILS,
      }),
    ],
    findings(intake, moment) {
      const pregnancy = intake.conditions.pregnancy;
      if (!pregnancy) return [];
      if (pregnancy.weeks === null) {
        // Not knowing how far along is the strictest answer: far enough for every rule of pregnancy.
        const facts = 'weeks not known';
        return [
          { ruleId: 'pregnancy', facts },
          { ruleId: 'pregnancy.side_lying', facts },
          { ruleId: 'pregnancy.weeks_unknown', facts },
        ];
      }
      // Weeks pass from the start of the `asOf` day (strictest: side-lying begins soonest).
      const elapsed = hoursSince({ date: pregnancy.asOf }, moment, 'earliest');
      const weeksAtSession = pregnancy.weeks + Math.max(0, Math.floor(elapsed / WEEK));
      const facts = `about ${weeksAtSession} weeks on the session day`;
      return [
        { ruleId: 'pregnancy', facts },
        ...(weeksAtSession >= SIDE_LYING_FROM_WEEK ? [{ ruleId: 'pregnancy.side_lying', facts }] : []),
      ];
    },
  },
];

/** Every client's endangerment sites: broad, light pressure only. Always present in the restrictions. */
export const ENDANGERMENT_ENTRY: ContraindicationEntry = {
  id: 'endangerment_sites',
  condition: 'Endangerment site (light pressure for every client)',
  referenceClass: 'R',
  regionsAffected: 'front of neck, armpit, groin, back of knee, kidney area',
  sources: ['WRN-END'],
  rules: [
    {
      id: 'endangerment_sites',
      class: 'R',
      effects: [{ kind: 'cap', scope: { kind: 'refs', refs: ENDANGERMENT_REFS }, max: 1 }],
      overridable: false,
      standing: true,
      clientMessage:
        'The front of the neck, armpits, groin, backs of the knees and kidney area only ever get broad, light pressure: nerves and blood vessels lie close to the surface there.',
      therapistReason: 'Endangerment sites: nerves, vessels or organs near the surface; broad light pressure only.',
    },
  ],
  findings: () => [{ ruleId: 'endangerment_sites' }],
};

/**
 * How rules combine [clinical-reference section 1]: the strictest outcome wins overall and per region (a lower cap
 * beats a higher one, an exclusion beats any cap); an A rule anywhere blocks the session; L rules remove regions
 * from the plan, and a plan whose focus regions are all removed cannot go ahead as deep tissue; R rules cap
 * pressure and may require a clearance document before the session.
 */
export const FOCUS_REGIONS_EXCLUDED = {
  id: 'focus_regions_excluded',
  class: 'L',
  clientMessage:
    'Every area you asked to have worked on has to be left alone at the moment, so this cannot go ahead as a deep tissue session. Choose other areas, or rebook later.',
  therapistReason: 'All focus regions of the plan are excluded by local contraindications: not a deep tissue session.',
} as const satisfies Pick<ScreeningRule, 'id' | 'class' | 'clientMessage' | 'therapistReason'>;

export const SCREENING_ENTRIES: readonly ContraindicationEntry[] = [...CONTRAINDICATIONS, ENDANGERMENT_ENTRY];

const CONDITION_OF_RULE = new Map<string, string>(
  SCREENING_ENTRIES.flatMap((entry) => entry.rules.map((rule) => [rule.id, entry.condition] as const)),
);

/** The condition a rule belongs to, in words ("Varicose veins"): what staff read instead of the rule's id. */
export function conditionOfRule(ruleId: string): string {
  return (
    CONDITION_OF_RULE.get(ruleId) ?? (ruleId === FOCUS_REGIONS_EXCLUDED.id ? 'Every focus region excluded' : ruleId)
  );
}
