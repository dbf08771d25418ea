import { EMERGENCY_ACTION, type EscalationLevel, RED_FLAGS, type RedFlagId, SORENESS_ESCALATION } from './red-flags.js';

/** A client's answers to the check-in about 24 h and 48 h after a session. */
export interface CheckInAnswers {
  /** 0 (none) .. 10 (worst imaginable). */
  soreness: number;
  trend: 'better' | 'same' | 'worse';
  hoursSinceSession: number;
  /** The yes/no red-flag questions; a question left out counts as "no". */
  redFlags: Partial<Record<RedFlagId, boolean>>;
}

export interface CheckInReason {
  id: RedFlagId | 'soreness_worse_or_lingering';
  level: EscalationLevel;
  sign: string;
  action: string;
  sources: readonly string[];
}

export type CheckInOutcome =
  | { level: 'ok'; message: string; reasons: []; alertTherapist: false }
  | { level: EscalationLevel; message: string; reasons: CheckInReason[]; alertTherapist: true };

const SORENESS_EASES_WITHIN_HOURS = 48;

/**
 * What a check-in answer means. Emergency signs win over the rest; every matching reason is listed so the
 * therapist sees all of them. Soreness escalates when it is getting worse at any time, or not getting better 48 h
 * after the session; that is the reference's "soreness worsening, or not easing after 48 h", read in the safer way
 * (worsening on the first day also alerts the therapist, who can reassure).
 */
export function evaluateCheckIn(answers: CheckInAnswers): CheckInOutcome {
  if (!Number.isInteger(answers.soreness) || answers.soreness < 0 || answers.soreness > 10) {
    throw new RangeError('soreness must be a whole number 0..10');
  }
  if (!(answers.hoursSinceSession >= 0)) throw new RangeError('hoursSinceSession must be 0 or more');
  const reasons: CheckInReason[] = RED_FLAGS.filter((flag) => answers.redFlags[flag.id] === true).map((flag) => ({
    id: flag.id,
    level: flag.level,
    sign: flag.sign,
    action: flag.action,
    sources: flag.sources,
  }));
  const sore = answers.soreness > 0;
  const worsening = sore && answers.trend === 'worse';
  const lingering = sore && answers.trend !== 'better' && answers.hoursSinceSession >= SORENESS_EASES_WITHIN_HOURS;
  if (worsening || lingering) {
    reasons.push({ id: 'soreness_worse_or_lingering', level: 'seek_care', ...SORENESS_ESCALATION });
  }
  if (reasons.length === 0) {
    return {
      level: 'ok',
      message:
        'Thanks. What you describe is the normal soreness after deep tissue work; it usually eases within 24-48 hours.',
      reasons: [],
      alertTherapist: false,
    };
  }
  const emergencies = reasons.filter((r) => r.level === 'emergency');
  if (emergencies.length > 0) {
    return {
      level: 'emergency',
      message: `${EMERGENCY_ACTION} You told us: ${emergencies.map((r) => r.sign.toLowerCase().replace(/\.$/, '')).join('; ')}.`,
      reasons: [...emergencies, ...reasons.filter((r) => r.level !== 'emergency')],
      alertTherapist: true,
    };
  }
  return {
    level: 'seek_care',
    message: `Please seek medical care. ${reasons.map((r) => `${r.sign} ${r.action}`).join(' ')}`,
    reasons,
    alertTherapist: true,
  };
}
