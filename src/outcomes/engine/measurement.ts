import { isRegionRef } from '../../domain/body-regions.js';
import { type MeasureId, outcomeMeasure } from '../../domain/measure-catalogue.js';

/**
 * One recorded value of an outcome measure at a session. `key` says what the value is about: a body-region
 * reference for pain ('hamstrings.left'), 'left' or 'right' for AKE and SLR, the activity key (psfsActivityKey)
 * for a PSFS activity, and null for whole-person measures (ODI, NDI, PSFS average, sit-and-reach).
 */
export interface Measurement {
  measure: MeasureId;
  key: string | null;
  /** The session's date, 'YYYY-MM-DD'. */
  sessionDate: string;
  value: number;
}

/** What a value was computed from; which fields are present depends on the measure. */
export interface MeasurementDetail {
  /** ODI and NDI: the chosen statement's score per section (null: skipped). */
  answers?: Record<string, number | null>;
  /** PSFS average: the activities rated, in the client's words. */
  ratings?: { activity: string; score: number }[];
  /** One PSFS activity: the client's words (the key is their normalised form). */
  activity?: string;
  /** AKE, SLR, sit-and-reach: the protocol's readings. */
  trials?: number[];
}

export interface MeasurementProblem {
  field: 'key' | 'value';
  code: 'key_required' | 'key_not_allowed' | 'unknown_region' | 'unknown_side' | 'out_of_range' | 'not_whole_number';
  message: string;
}

/** Why a measurement cannot be recorded, or null when it can. */
export function measurementProblem(m: Omit<Measurement, 'sessionDate'>): MeasurementProblem | null {
  const measure = outcomeMeasure(m.measure);
  const key = m.key;
  if (measure.keyedBy === 'none') {
    if (key !== null)
      return {
        field: 'key',
        code: 'key_not_allowed',
        message: `${measure.name} is not recorded per region, side or activity`,
      };
  } else if (key === null || key.trim() === '') {
    return { field: 'key', code: 'key_required', message: `${measure.name} needs a ${measure.keyedBy}` };
  } else if (measure.keyedBy === 'region' && !isRegionRef(key)) {
    return { field: 'key', code: 'unknown_region', message: `"${key}" is not a body region` };
  } else if (measure.keyedBy === 'side' && key !== 'left' && key !== 'right') {
    return { field: 'key', code: 'unknown_side', message: 'Use "left" or "right"' };
  }
  if (!Number.isFinite(m.value) || m.value < measure.min || m.value > measure.max) {
    return {
      field: 'value',
      code: 'out_of_range',
      message: `${measure.name} must be between ${measure.min} and ${measure.max}`,
    };
  }
  if (measure.wholeNumbers && !Number.isInteger(m.value)) {
    return { field: 'value', code: 'not_whole_number', message: `${measure.name} is recorded in whole numbers` };
  }
  return null;
}
