import { z } from 'zod';
import type { RegionSummary } from '../../domain/signal-summary.js';
import { regionSummarySchema } from '../../live/engine/live-views.js';
import type { SessionRecordSummary } from '../../records/engine/session-record-summary.js';
import { conditionOfRule } from '../../screening/engine/contraindication-catalogue.js';
import { PRESSURE_LABELS, type Pressure } from '../../domain/screening-vocabulary.js';
import { OUTCOMES, type ScreeningDecision } from '../../screening/engine/screening-engine.js';
import { type ReferredPainReport, referredPainHints } from '../../screening/engine/referred-pain.js';
import {
  clearanceStatusSchema,
  screeningDecisionSchema,
  sourcesOf,
  toDecisionView,
} from '../../screening/engine/screening-views.js';
import { parseRegionRef, regionRefLabel, sortRegionRefs } from '../../domain/body-regions.js';
import type { Intake } from '../../intake/engine/intake-schema.js';

/**
 * The one-page brief a therapist reads before the session: pure assembly from the booking, the intake version
 * the booking was screened on, its screening, and the previous sessions with this therapist.
 */

const regionLabel = z.object({ region: z.string(), label: z.string() });
const sourceList = z.array(z.object({ key: z.string(), where: z.string() }));

/** What the brief shows of an earlier session: its signed note in SOAP form, the measurements taken, and the client's live feedback. */
export const sessionRecordSummarySchema = z
  .object({
    note: z
      .object({
        signedAt: z.iso.datetime(),
        amendments: z.number(),
        soap: z.object({
          subjective: z.array(z.string()),
          objective: z.array(z.string()),
          assessment: z.array(z.string()),
          plan: z.array(z.string()),
          otherNotes: z.string(),
        }),
      })
      .nullable()
      .describe('The signed note as it stands (amendments applied); null when none was signed'),
    measurements: z.array(
      z.object({
        measure: z.string(),
        name: z.string(),
        keyLabel: z.string().nullable(),
        value: z.number(),
        unit: z.string(),
        band: z.string().nullable(),
      }),
    ),
    liveSummary: z
      .array(regionSummarySchema)
      .describe('The client’s live feedback per region: the highest pressure they accepted, and their discomfort'),
  })
  .meta({ id: 'SessionRecordSummary' });

export const briefSchema = z
  .object({
    booking: z.object({
      id: z.uuid(),
      status: z.string(),
      clearanceDueAt: z.iso
        .datetime()
        .nullable()
        .describe(
          'While the booking awaits clearance (status awaiting_clearance): it is released unless a clearance document is verified by then',
        ),
      startsAt: z.iso.datetime(),
      endsAt: z.iso.datetime(),
      timeZone: z.string().describe("The IANA zone of the session's place"),
      durationMin: z.number(),
      mode: z.enum(['studio', 'home']),
      address: z.string(),
      therapist: z.object({ id: z.uuid(), displayName: z.string(), timeZone: z.string() }),
    }),
    client: z.object({ id: z.uuid(), displayName: z.string() }),
    intake: z
      .object({ version: z.number(), recordedAt: z.iso.datetime() })
      .nullable()
      .describe('null: the client erased their health data'),
    bodyMap: z.array(
      z.object({
        region: z.string(),
        label: z.string(),
        view: z.enum(['front', 'back']),
        side: z.enum(['left', 'right']).nullable(),
        tightness: z.number(),
        pain: z.number(),
        note: z.string().nullable(),
        muscles: z.array(z.string()),
      }),
    ),
    goals: z.array(z.string()),
    causes: z.array(z.string()),
    activity: z.object({ level: z.string(), deskHoursPerDay: z.number() }).nullable(),
    pressurePreference: z.object({ level: z.number(), label: z.string() }).nullable(),
    avoidRegions: z.array(regionLabel).describe('Where the client asked not to be worked on'),
    healthHistory: z
      .array(z.string())
      .describe('Every condition, injury, surgery and medication the client gave, in words'),
    screening: z
      .object({
        outcome: z.enum(OUTCOMES),
        screenedAt: z.iso.datetime(),
        intakeVersion: z.number(),
        clearance: z.object({ status: clearanceStatusSchema, requiredFor: z.array(z.string()) }),
        decision: screeningDecisionSchema,
        overrides: z.array(
          z.object({ ruleId: z.string(), condition: z.string(), reason: z.string(), createdAt: z.iso.datetime() }),
        ),
      })
      .nullable(),
    referredPain: z.object({
      hints: z.array(
        z.object({
          muscle: z.string(),
          muscleName: z.string(),
          assessAt: z.array(regionLabel),
          explains: z.array(regionLabel),
          pattern: z.string(),
          sources: sourceList,
        }),
      ),
      clotReminder: z.object({ regions: z.array(regionLabel), text: z.string(), sources: sourceList }).nullable(),
    }),
    previousSessions: z.array(
      z.object({
        bookingId: z.uuid(),
        startsAt: z.iso.datetime(),
        timeZone: z.string(),
        durationMin: z.number(),
        status: z.string(),
        sessionRecord: sessionRecordSummarySchema,
      }),
    ),
  })
  .meta({ id: 'PreSessionBrief' });

export type Brief = z.infer<typeof briefSchema>;

export interface BriefInput {
  booking: Brief['booking'];
  client: Brief['client'];
  intake: { version: number; recordedAt: Date; intake: Intake } | null;
  screening: {
    createdAt: Date;
    intakeVersion: number;
    decision: ScreeningDecision;
    clearance: NonNullable<Brief['screening']>['clearance'];
    overrides: { ruleId: string; reason: string; createdAt: Date }[];
  } | null;
  previousSessions: {
    bookingId: string;
    startsAt: Date;
    timeZone: string;
    durationMin: number;
    status: string;
    sessionRecord: SessionRecordSummary & { liveSummary: RegionSummary[] };
  }[];
}

const labelled = (refs: readonly string[]) =>
  sortRegionRefs(refs).map((region) => ({ region, label: regionRefLabel(region) }));
const words = (id: string) => id.replaceAll('_', ' ');
const places = (refs: readonly string[]) => sortRegionRefs(refs).map(regionRefLabel).join(', ');
/** A detail the client answered "I don't know" (null), said so for the therapist. */
const known = <T>(value: T | null, inWords: (v: T) => string, unknown: string) =>
  value === null ? unknown : inWords(value);
const onDay = (date: string | null) => known(date, (d) => `on ${d}`, '(date not known)');

/** The client's health history in words, condition by condition (whether or not a rule fired). */
export function describeHealthHistory(intake: Intake): string[] {
  const c = intake.conditions;
  const lines: (string | false | undefined)[] = [
    c.bloodClot && `Blood clot: ${c.bloodClot.status}`,
    c.legClotSigns && `Calf pain (${c.legClotSigns.side}) with ${c.legClotSigns.signs.join(', ')}`,
    c.dvtHistory &&
      `Past blood clot, resolved ${known(c.dvtHistory.resolvedOn, String, '(date not known)')}${known(c.dvtHistory.cancerRelated, (yes) => (yes ? ' (cancer-related)' : ''), ' (link to cancer not known)')}`,
    c.bleedingRisk &&
      `Bleeding risk: ${c.bleedingRisk.causes.map(words).join(', ')}${c.bleedingRisk.medication ? ` (${c.bleedingRisk.medication})` : ''}`,
    c.feverOrInfection && 'Fever or acute infection',
    c.openWounds && `Open wounds: ${places(c.openWounds.regions)}`,
    c.skinInfection && `Skin infection: ${c.skinInfection.widespread ? 'widespread' : places(c.skinInfection.regions)}`,
    c.osteoporosis && `Osteoporosis (${c.osteoporosis.severity ?? 'severity not known'})`,
    c.herniatedDisc && `Herniated disc: ${c.herniatedDisc.levels?.join(', ') ?? 'level not known'}`,
    c.spinalRedFlags &&
      `Red-flag answers: ${
        Object.entries(c.spinalRedFlags)
          .filter(([, yes]) => yes)
          .map(([k]) => k.replace(/([A-Z])/g, ' $1').toLowerCase())
          .join(', ') || 'none'
      }`,
    c.rheumatoidArthritis &&
      `Rheumatoid arthritis${c.rheumatoidArthritis.flare ? ', in flare' : ''}${c.rheumatoidArthritis.joints.length ? `: ${places(c.rheumatoidArthritis.joints)}` : ''}`,
    c.osteoarthritis &&
      `Osteoarthritis${c.osteoarthritis.inflamedJoints.length ? `, inflamed now: ${places(c.osteoarthritis.inflamedJoints)}` : ''}`,
    c.varicoseVeins &&
      `Varicose veins (${c.varicoseVeins.severity ?? 'severity not known'}): ${places(c.varicoseVeins.regions)}`,
    c.cancer &&
      `Cancer, treatment ${c.cancer.treatment ?? 'not known'}${c.cancer.tumourSites.length ? `; tumour: ${places(c.cancer.tumourSites)}` : ''}${c.cancer.boneMetastasisSites.length ? `; bone metastases: ${places(c.cancer.boneMetastasisSites)}` : ''}${c.cancer.lymphoedemaRiskRegions.length ? `; lymphoedema risk: ${places(c.cancer.lymphoedemaRiskRegions)}` : ''}`,
    c.diabetesNeuropathy &&
      `Diabetes with neuropathy: ${c.diabetesNeuropathy.reducedSensation.length ? places(c.diabetesNeuropathy.reducedSensation) : 'feet and hands'}`,
    c.hypertension &&
      `High blood pressure: ${c.hypertension.systolic === null ? 'reading not known' : `${c.hypertension.systolic}/${c.hypertension.diastolic}`} ${onDay(c.hypertension.measuredOn)}`,
    c.heartAttack && `Heart attack ${onDay(c.heartAttack.date)}`,
    c.unstableAngina && 'Unstable angina',
    c.kidneyFailure && 'Kidney failure',
    c.fibromyalgia && 'Fibromyalgia',
    c.pregnancy && `Pregnant: ${c.pregnancy.weeks ?? 'not known how many'} weeks on ${c.pregnancy.asOf}`,
    ...intake.injuries.map(
      (i) =>
        `Injury (${i.kind}) ${onDay(i.date)}${i.time ? ` at ${i.time}` : ''}: ${places(i.regions)}${i.description ? ` (${i.description})` : ''}`,
    ),
    ...intake.surgeries.map(
      (s) =>
        `Surgery ${onDay(s.date)}${s.cancerRelated ? ' (cancer-related)' : ''}: ${places(s.regions)}${s.description ? ` (${s.description})` : ''}`,
    ),
    ...intake.medications.map((m) => `Medication: ${m}`),
  ];
  return lines.filter((line): line is string => typeof line === 'string');
}

function referredPainView(report: ReferredPainReport): Brief['referredPain'] {
  return {
    hints: report.hints.map((h) => ({
      ...h,
      assessAt: labelled(h.assessAt),
      explains: labelled(h.explains),
      sources: sourcesOf(h.sources),
    })),
    clotReminder: report.clotReminder && {
      regions: labelled(report.clotReminder.regions),
      text: report.clotReminder.text,
      sources: sourcesOf(report.clotReminder.sources),
    },
  };
}

export function buildBrief(input: BriefInput): Brief {
  const intake = input.intake?.intake;
  return {
    booking: input.booking,
    client: input.client,
    intake: input.intake && { version: input.intake.version, recordedAt: input.intake.recordedAt.toISOString() },
    bodyMap: (intake?.bodyMap ?? []).map((e) => {
      const { region, side } = parseRegionRef(e.region)!;
      return {
        region: e.region,
        label: regionRefLabel(e.region),
        view: region.view,
        side,
        tightness: e.tightness,
        pain: e.pain,
        note: e.note ?? null,
        muscles: region.muscles.map((m) => m.name),
      };
    }),
    goals: intake?.goals ?? [],
    causes: (intake?.causes ?? []).map(words),
    activity: intake ? { level: intake.activity.level, deskHoursPerDay: intake.activity.deskHoursPerDay } : null,
    pressurePreference: intake
      ? { level: intake.pressure.preference, label: PRESSURE_LABELS[intake.pressure.preference as Pressure] }
      : null,
    avoidRegions: labelled(intake?.pressure.avoidRegions ?? []),
    healthHistory: intake ? describeHealthHistory(intake) : [],
    screening: input.screening && {
      outcome: input.screening.decision.outcome,
      screenedAt: input.screening.createdAt.toISOString(),
      intakeVersion: input.screening.intakeVersion,
      clearance: input.screening.clearance,
      decision: toDecisionView(input.screening.decision),
      overrides: input.screening.overrides.map((o) => ({
        ...o,
        condition: conditionOfRule(o.ruleId),
        createdAt: o.createdAt.toISOString(),
      })),
    },
    referredPain: referredPainView(referredPainHints({ bodyMap: intake?.bodyMap ?? [] })),
    previousSessions: input.previousSessions.map((s) => ({ ...s, startsAt: s.startsAt.toISOString() })),
  };
}
