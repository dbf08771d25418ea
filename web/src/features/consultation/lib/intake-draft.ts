/**
 * The consultation form's own state, and the two translations it needs: from a saved intake (to edit it) and to
 * the body of PUT /api/me/intake. Inputs hold text; a number or date left empty is left out of the body, so the
 * server names the field that is required. A detail the client answered "I don't know" is null, here and in the
 * body (screening reads it as the strictest value it could be). Pure: no React, no fetch.
 */
import { parseRegionRef } from '../../../../../src/domain/body-regions';
import type { BodyMapValue } from '../../../shared/components/body-map/body-map';
import type { Conditions, IntakeInput } from '../../../shared/lib/api-types';

type C = Required<Conditions>;
type Picked<K extends keyof C, F extends keyof NonNullable<C[K]>> = NonNullable<C[K]>[F];

export type ActivityLevel = IntakeInput['activity']['level'];
export type LikelyCause = IntakeInput['causes'][number];
export type InjuryKind = IntakeInput['injuries'][number]['kind'];

/** Each condition the client ticked, with its details as typed so far; absent means "no". */
export interface ConditionDrafts {
  legClotSigns?: { side: Picked<'legClotSigns', 'side'> | ''; signs: Picked<'legClotSigns', 'signs'> };
  bloodClot?: { status: Picked<'bloodClot', 'status'> | '' };
  dvtHistory?: { resolvedOn: string | null; cancerRelated: boolean | null };
  bleedingRisk?: { causes: Picked<'bleedingRisk', 'causes'>; medication: string };
  feverOrInfection?: true;
  openWounds?: { regions: string[] };
  skinInfection?: { regions: string[]; widespread: boolean };
  osteoporosis?: { severity: Picked<'osteoporosis', 'severity'> | '' };
  herniatedDisc?: { levels: Picked<'herniatedDisc', 'levels'> };
  rheumatoidArthritis?: { flare: boolean; joints: string[] };
  osteoarthritis?: { inflamedJoints: string[] };
  varicoseVeins?: { severity: Picked<'varicoseVeins', 'severity'> | ''; regions: string[] };
  cancer?: {
    treatment: Picked<'cancer', 'treatment'> | '';
    tumourSites: string[];
    boneMetastasisSites: string[];
    lymphoedemaRiskRegions: string[];
  };
  diabetesNeuropathy?: { reducedSensation: string[] };
  /** `readingUnknown`: the client does not know the reading (then its date means nothing either). */
  hypertension?: { systolic: string; diastolic: string; readingUnknown: boolean; measuredOn: string | null };
  heartAttack?: { date: string | null };
  unstableAngina?: true;
  kidneyFailure?: true;
  fibromyalgia?: true;
  pregnancy?: { weeks: string | null };
}

export type ConditionKey = keyof ConditionDrafts;
export type RedFlags = NonNullable<C['spinalRedFlags']>;

export interface InjuryDraft {
  kind: InjuryKind;
  regions: string[];
  date: string | null;
  /** 'HH:MM' when the client knows it, '' otherwise (screening then reads the end of the day). */
  time: string;
  description: string;
}

export interface SurgeryDraft {
  date: string | null;
  regions: string[];
  cancerRelated: boolean;
  description: string;
}

export interface IntakeDraft {
  bodyMap: BodyMapValue;
  goals: string[];
  activityLevel: ActivityLevel | '';
  deskHours: string;
  causes: LikelyCause[];
  injuries: InjuryDraft[];
  surgeries: SurgeryDraft[];
  medications: string[];
  conditions: ConditionDrafts;
  redFlags: RedFlags;
  pressure: number | null;
  avoidRegions: string[];
  consentTreatment: boolean;
  consentDataProcessing: boolean;
}

const NO_RED_FLAGS: RedFlags = {
  saddleNumbness: false,
  bladderOrBowelChange: false,
  progressiveLegWeakness: false,
  newNumbnessOrRadiatingPain: false,
};

export function emptyDraft(): IntakeDraft {
  return {
    bodyMap: {},
    goals: [''],
    activityLevel: '',
    deskHours: '',
    causes: [],
    injuries: [],
    surgeries: [],
    medications: [],
    conditions: {},
    redFlags: NO_RED_FLAGS,
    pressure: null,
    avoidRegions: [],
    consentTreatment: false,
    consentDataProcessing: false,
  };
}

/** What a condition starts as when ticked. */
export function newCondition<K extends ConditionKey>(key: K): NonNullable<ConditionDrafts[K]> {
  const fresh: { [Key in ConditionKey]-?: NonNullable<ConditionDrafts[Key]> } = {
    legClotSigns: { side: '', signs: [] },
    bloodClot: { status: '' },
    dvtHistory: { resolvedOn: '', cancerRelated: false },
    bleedingRisk: { causes: [], medication: '' },
    feverOrInfection: true,
    openWounds: { regions: [] },
    skinInfection: { regions: [], widespread: false },
    osteoporosis: { severity: '' },
    herniatedDisc: { levels: [] },
    rheumatoidArthritis: { flare: false, joints: [] },
    osteoarthritis: { inflamedJoints: [] },
    varicoseVeins: { severity: '', regions: [] },
    cancer: { treatment: '', tumourSites: [], boneMetastasisSites: [], lymphoedemaRiskRegions: [] },
    diabetesNeuropathy: { reducedSensation: [] },
    hypertension: { systolic: '', diastolic: '', readingUnknown: false, measuredOn: '' },
    heartAttack: { date: '' },
    unstableAngina: true,
    kidneyFailure: true,
    fibromyalgia: true,
    pregnancy: { weeks: '' },
  };
  return fresh[key];
}

const SPINE_REGIONS = new Set(['neck', 'mid_back', 'low_back']);

/** The red-flag questions are asked with back or neck pain (clinical-reference section 5), or a disc problem. */
export function asksRedFlags(draft: IntakeDraft): boolean {
  return (
    draft.conditions.herniatedDisc !== undefined ||
    Object.keys(draft.bodyMap).some((ref) => SPINE_REGIONS.has(parseRegionRef(ref)?.region.id ?? ''))
  );
}

/** A number typed into a box, or nothing (so the server says the field is required). */
const numberOf = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text));
const given = <T>(value: T | '' | undefined): T | undefined => (value === '' ? undefined : value);
const text = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** Leaves out the keys whose value is undefined, so "not given" reaches the server as a missing field. */
function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}

function conditionsOf(draft: IntakeDraft): Conditions {
  const c = draft.conditions;
  const out: Record<string, unknown> = {};
  if (c.legClotSigns) out.legClotSigns = defined({ side: given(c.legClotSigns.side), signs: c.legClotSigns.signs });
  if (c.bloodClot) out.bloodClot = defined({ status: given(c.bloodClot.status) });
  if (c.dvtHistory)
    out.dvtHistory = defined({ resolvedOn: given(c.dvtHistory.resolvedOn), cancerRelated: c.dvtHistory.cancerRelated });
  if (c.bleedingRisk)
    out.bleedingRisk = defined({ causes: c.bleedingRisk.causes, medication: text(c.bleedingRisk.medication) });
  if (c.feverOrInfection) out.feverOrInfection = true;
  if (c.openWounds) out.openWounds = { regions: c.openWounds.regions };
  if (c.skinInfection) out.skinInfection = { regions: c.skinInfection.regions, widespread: c.skinInfection.widespread };
  if (c.osteoporosis) out.osteoporosis = defined({ severity: given(c.osteoporosis.severity) });
  if (c.herniatedDisc) out.herniatedDisc = { levels: c.herniatedDisc.levels };
  if (asksRedFlags(draft)) out.spinalRedFlags = draft.redFlags;
  if (c.rheumatoidArthritis)
    out.rheumatoidArthritis = { flare: c.rheumatoidArthritis.flare, joints: c.rheumatoidArthritis.joints };
  if (c.osteoarthritis) out.osteoarthritis = { inflamedJoints: c.osteoarthritis.inflamedJoints };
  if (c.varicoseVeins)
    out.varicoseVeins = defined({ severity: given(c.varicoseVeins.severity), regions: c.varicoseVeins.regions });
  if (c.cancer) out.cancer = defined({ ...c.cancer, treatment: given(c.cancer.treatment) });
  if (c.diabetesNeuropathy) out.diabetesNeuropathy = { reducedSensation: c.diabetesNeuropathy.reducedSensation };
  if (c.hypertension) {
    out.hypertension = c.hypertension.readingUnknown
      ? { systolic: null, diastolic: null, measuredOn: null }
      : defined({
          systolic: numberOf(c.hypertension.systolic),
          diastolic: numberOf(c.hypertension.diastolic),
          measuredOn: given(c.hypertension.measuredOn),
        });
  }
  if (c.heartAttack) out.heartAttack = defined({ date: given(c.heartAttack.date) });
  if (c.unstableAngina) out.unstableAngina = true;
  if (c.kidneyFailure) out.kidneyFailure = true;
  if (c.fibromyalgia) out.fibromyalgia = true;
  if (c.pregnancy) out.pregnancy = defined({ weeks: c.pregnancy.weeks === null ? null : numberOf(c.pregnancy.weeks) });
  return out;
}

/** The body of PUT /api/me/intake. */
export function intakeFromDraft(draft: IntakeDraft): IntakeInput {
  return {
    bodyMap: Object.entries(draft.bodyMap).map(([region, r]) =>
      defined({ region, tightness: r.tightness, pain: r.pain, note: text(r.note ?? '') }),
    ),
    goals: draft.goals.map((g) => g.trim()).filter(Boolean),
    activity: defined({
      level: given(draft.activityLevel),
      deskHoursPerDay: numberOf(draft.deskHours),
    }) as IntakeInput['activity'],
    causes: draft.causes,
    injuries: draft.injuries.map((i) =>
      defined({
        kind: i.kind,
        regions: i.regions,
        date: given(i.date),
        time: given(i.time),
        description: text(i.description),
      }),
    ) as IntakeInput['injuries'],
    surgeries: draft.surgeries.map((s) =>
      defined({
        date: given(s.date),
        regions: s.regions,
        cancerRelated: s.cancerRelated,
        description: text(s.description),
      }),
    ) as IntakeInput['surgeries'],
    medications: draft.medications.map((m) => m.trim()).filter(Boolean),
    conditions: conditionsOf(draft),
    pressure: defined({
      preference: draft.pressure ?? undefined,
      avoidRegions: draft.avoidRegions,
    }) as IntakeInput['pressure'],
    consent: { treatment: draft.consentTreatment, dataProcessing: draft.consentDataProcessing },
  };
}

const DAY = 86_400_000;

/** Weeks of pregnancy on `today`, from what was true on `asOf`. */
export function weeksOn(weeks: number, asOf: string | undefined, today: string): number {
  if (!asOf) return weeks;
  const elapsed = Math.floor((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${asOf}T00:00:00Z`)) / DAY / 7);
  return Math.min(42, weeks + Math.max(0, elapsed));
}

/** A saved intake as a draft to edit. Pregnancy weeks are brought up to today; saving records them as of today. */
export function draftFromIntake(intake: IntakeInput, today: string): IntakeDraft {
  const c = intake.conditions;
  const conditions: ConditionDrafts = {};
  if (c.legClotSigns) conditions.legClotSigns = { ...c.legClotSigns };
  if (c.bloodClot) conditions.bloodClot = { ...c.bloodClot };
  if (c.dvtHistory) conditions.dvtHistory = { ...c.dvtHistory };
  if (c.bleedingRisk)
    conditions.bleedingRisk = { causes: c.bleedingRisk.causes, medication: c.bleedingRisk.medication ?? '' };
  if (c.feverOrInfection) conditions.feverOrInfection = true;
  if (c.openWounds) conditions.openWounds = { ...c.openWounds };
  if (c.skinInfection) conditions.skinInfection = { ...c.skinInfection };
  if (c.osteoporosis) conditions.osteoporosis = { ...c.osteoporosis };
  if (c.herniatedDisc) conditions.herniatedDisc = { ...c.herniatedDisc };
  if (c.rheumatoidArthritis) conditions.rheumatoidArthritis = { ...c.rheumatoidArthritis };
  if (c.osteoarthritis) conditions.osteoarthritis = { ...c.osteoarthritis };
  if (c.varicoseVeins) conditions.varicoseVeins = { ...c.varicoseVeins };
  if (c.cancer) conditions.cancer = { ...c.cancer };
  if (c.diabetesNeuropathy) conditions.diabetesNeuropathy = { ...c.diabetesNeuropathy };
  if (c.hypertension)
    conditions.hypertension = {
      systolic: c.hypertension.systolic === null ? '' : String(c.hypertension.systolic),
      diastolic: c.hypertension.diastolic === null ? '' : String(c.hypertension.diastolic),
      readingUnknown: c.hypertension.systolic === null,
      measuredOn: c.hypertension.measuredOn,
    };
  if (c.heartAttack) conditions.heartAttack = { ...c.heartAttack };
  if (c.unstableAngina) conditions.unstableAngina = true;
  if (c.kidneyFailure) conditions.kidneyFailure = true;
  if (c.fibromyalgia) conditions.fibromyalgia = true;
  if (c.pregnancy)
    conditions.pregnancy = {
      weeks: c.pregnancy.weeks === null ? null : String(weeksOn(c.pregnancy.weeks, c.pregnancy.asOf, today)),
    };
  return {
    bodyMap: Object.fromEntries(
      intake.bodyMap.map((e) => [
        e.region,
        { tightness: e.tightness, pain: e.pain, ...(e.note ? { note: e.note } : {}) },
      ]),
    ),
    goals: intake.goals.length > 0 ? [...intake.goals] : [''],
    activityLevel: intake.activity.level,
    deskHours: String(intake.activity.deskHoursPerDay),
    causes: [...intake.causes],
    injuries: intake.injuries.map((i) => ({
      kind: i.kind,
      regions: [...i.regions],
      date: i.date,
      time: i.time ?? '',
      description: i.description ?? '',
    })),
    surgeries: intake.surgeries.map((s) => ({
      date: s.date,
      regions: [...s.regions],
      cancerRelated: s.cancerRelated,
      description: s.description ?? '',
    })),
    medications: [...intake.medications],
    conditions,
    redFlags: c.spinalRedFlags ?? NO_RED_FLAGS,
    pressure: intake.pressure.preference,
    avoidRegions: [...intake.pressure.avoidRegions],
    consentTreatment: intake.consent.treatment,
    consentDataProcessing: intake.consent.dataProcessing,
  };
}

/** The steps of the form, and which fields of the request each one asks for. */
export const STEPS = [
  { id: 'body', title: 'Where it hurts', fields: ['bodyMap'] },
  { id: 'life', title: 'Goals and daily life', fields: ['goals', 'activity', 'causes'] },
  { id: 'history', title: 'Injuries, operations and medicines', fields: ['injuries', 'surgeries', 'medications'] },
  { id: 'health', title: 'Health', fields: ['conditions'] },
  { id: 'pressure', title: 'Pressure and consent', fields: ['pressure', 'consent'] },
] as const;

/** The step that asks for a field of the request (e.g. 'conditions.hypertension.systolic' -> 3). */
export function stepOfField(field: string): number {
  const top = field.split('.')[0];
  const index = STEPS.findIndex((s) => (s.fields as readonly string[]).includes(top ?? ''));
  return index === -1 ? 0 : index;
}
