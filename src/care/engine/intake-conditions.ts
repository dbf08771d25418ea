import type { RegionRef } from '../../domain/body-regions.js';
import type { Intake } from '../../intake/engine/intake-schema.js';
import { WINDOWS } from '../../screening/engine/contraindication-catalogue.js';
import { type ScreeningMoment, hoursSince, withinHoursAfter } from '../../screening/engine/event-time.js';
import type { ClientCondition } from './client-conditions.js';

/**
 * The client's conditions as aftercare needs them, read from their consultation as it stood for the session.
 * Pure. Time windows are the screening's own (`WINDOWS`), in hours up to the session's start, with the client's dates
 * read the same strictest way (event-time.ts), so aftercare and screening agree on what is "acute" or "recent". Conditions that stop a session (a current clot, fever, a recent
 * heart attack) are not mapped: a session with them does not take place, so it has no aftercare.
 */

/** Below this, a recent resting reading counts as under control (the screening's "no deep abdominal work" line). */
export const CONTROLLED_BLOOD_PRESSURE = { systolicBelow: 160, diastolicBelow: 90 } as const;

const distinct = (refs: readonly RegionRef[]) => [...new Set(refs)];

/**
 * `session`: the session's start and zone. An event counts once it may have happened before the start (its earliest
 * reading is not after it) and while the start lies within its window from its latest reading.
 */
export function clientConditionsFromIntake(intake: Intake, session: ScreeningMoment): ClientCondition[] {
  if (!Number.isFinite(session.at)) throw new RangeError(`not an instant: ${session.at}`);
  const c = intake.conditions;
  const out: ClientCondition[] = [];
  const within = (event: { date: string | null; time?: string | undefined }, hours: number) =>
    hoursSince(event, session, 'earliest') >= 0 && withinHoursAfter(event, session, hours);

  const acuteSites = intake.injuries
    .filter((i) => within(i, i.kind === 'fracture' ? WINDOWS.acuteFractureHours : WINDOWS.acuteInjuryHours))
    .flatMap((i) => i.regions);
  if (acuteSites.length > 0) out.push({ code: 'acute_injury', regions: distinct(acuteSites) });

  const surgicalSites = intake.surgeries
    .filter((s) => within(s, WINDOWS.surgeryRecoveringHours))
    .flatMap((s) => s.regions);
  if (surgicalSites.length > 0) out.push({ code: 'recent_surgery', regions: distinct(surgicalSites) });

  if (c.openWounds) out.push({ code: 'open_wound', regions: distinct(c.openWounds.regions) });
  if (c.skinInfection && c.skinInfection.regions.length > 0)
    out.push({ code: 'skin_infection', regions: distinct(c.skinInfection.regions) });
  if (c.rheumatoidArthritis)
    out.push({ code: 'rheumatoid_arthritis', regions: distinct(c.rheumatoidArthritis.joints) });
  if (c.osteoarthritis && c.osteoarthritis.inflamedJoints.length > 0)
    out.push({ code: 'osteoarthritis', regions: distinct(c.osteoarthritis.inflamedJoints) });

  if (c.varicoseVeins) out.push({ code: 'varicose_veins', regions: distinct(c.varicoseVeins.regions) });
  if (c.diabetesNeuropathy) {
    const where = c.diabetesNeuropathy.reducedSensation;
    out.push(
      where.length > 0 ? { code: 'diabetes_neuropathy', regions: distinct(where) } : { code: 'diabetes_neuropathy' },
    );
  }
  if (c.dvtHistory) out.push({ code: 'dvt_history' });

  if (c.hypertension) {
    const bp = c.hypertension;
    // A reading or a date the client did not know is not under control (an unknown date is read as long ago).
    const recent = hoursSince({ date: bp.measuredOn }, session, 'earliest') <= WINDOWS.bloodPressureReadingHours;
    const below =
      bp.systolic !== null &&
      bp.diastolic !== null &&
      bp.systolic < CONTROLLED_BLOOD_PRESSURE.systolicBelow &&
      bp.diastolic < CONTROLLED_BLOOD_PRESSURE.diastolicBelow;
    out.push({ code: 'high_blood_pressure', controlled: recent && below });
  }

  // Every cause of a bleeding risk (blood thinners, a bleeding disorder, low platelets) asks the same care at home.
  if (c.bleedingRisk) out.push({ code: 'anticoagulants' });
  if (c.osteoporosis) out.push({ code: 'osteoporosis' });
  if (c.herniatedDisc) out.push({ code: 'herniated_disc' });
  if (c.cancer) out.push({ code: 'cancer' });
  if (c.kidneyFailure) out.push({ code: 'kidney_failure' });
  if (c.fibromyalgia) out.push({ code: 'fibromyalgia' });
  if (c.pregnancy) out.push({ code: 'pregnancy' });
  return out;
}
