import type { RegionId } from '../../domain/body-regions.js';
import type { AftercareItem } from './aftercare-plan.js';
import { affectedRegionIds, type ClientCondition } from './client-conditions.js';
import { EXERCISES, type ExclusionRule, type Exercise, type ExerciseKind } from './exercise-catalogue.js';
import { regionIdsInWords } from '../../domain/region-label.js';

/**
 * Chooses the home programme from the exercise catalogue: for each region worked, the first stretch and the first
 * foam-rolling exercise that serve it and that none of the client's conditions rule out; and, after work on the
 * hamstrings, low back or buttocks, one glute and one core strengthening exercise (seed 000). Exercises passed over
 * because of a condition are reported, with the rule, for the therapist.
 */

export interface OmittedExercise {
  exerciseId: string;
  name: string;
  condition: ClientCondition['code'];
  why: string;
  sources: readonly string[];
}

export interface HomeProgramme {
  stretches: AftercareItem[];
  foamRolling: AftercareItem[];
  strengthening: AftercareItem[];
  omitted: OmittedExercise[];
}

/** Regions whose work calls for glute and core strengthening [seed-000]. */
const STRENGTHEN_AFTER: readonly RegionId[] = ['hamstrings', 'low_back', 'glutes'];

/** The first rule of the exercise that one of the client's conditions triggers, if any. */
export function exclusionFor(exercise: Exercise, conditions: readonly ClientCondition[]): ExclusionRule | undefined {
  return exercise.ruledOutBy.find((rule) =>
    conditions.some(
      (c) =>
        c.code === rule.condition &&
        (rule.scope === 'always' || exercise.serves.some((region) => affectedRegionIds(c).has(region))),
    ),
  );
}

const times = (n: number) => (n === 1 ? 'once' : n === 2 ? 'twice' : `${n} times`);

/** "Hold 30 seconds each side, twice. Once or twice a day, …" */
export function dosageInWords(exercise: Exercise): string {
  const { seconds, reps, sets, perSide, when } = exercise.dosage;
  const each = perSide ? ' each side' : '';
  const amount =
    reps !== undefined
      ? `${reps} times${each}${seconds ? `, holding ${seconds} seconds` : ''}, ${sets} ${sets === 1 ? 'set' : 'sets'}`
      : `${exercise.kind === 'foam_roll' ? 'Roll for' : 'Hold'} ${seconds} seconds${each}, ${times(sets)}`;
  return `${amount.charAt(0).toUpperCase()}${amount.slice(1)}. ${when}`;
}

/** An exercise as an aftercare item; the editor adds catalogue exercises this way too. */
export function exerciseItem(exercise: Exercise, why: string): AftercareItem {
  return {
    id: exercise.id,
    text: `${exercise.name}: ${exercise.instructions.join(' ')}`,
    dosage: dosageInWords(exercise),
    why,
    sources: [...exercise.sources],
  };
}

export function homeProgramme(
  workedRegions: readonly RegionId[],
  conditions: readonly ClientCondition[],
): HomeProgramme {
  const omitted: OmittedExercise[] = [];
  const passOver = (exercise: Exercise, rule: ExclusionRule) => {
    if (!omitted.some((o) => o.exerciseId === exercise.id)) {
      omitted.push({
        exerciseId: exercise.id,
        name: exercise.name,
        condition: rule.condition,
        why: rule.why,
        sources: rule.sources,
      });
    }
  };
  /** The first candidate no condition rules out; the ones ruled out on the way are reported. */
  const firstAllowed = (candidates: readonly Exercise[]) => {
    for (const exercise of candidates) {
      const rule = exclusionFor(exercise, conditions);
      if (!rule) return exercise;
      passOver(exercise, rule);
    }
    return undefined;
  };

  const perRegion = (kind: ExerciseKind, why: string): AftercareItem[] => {
    const chosen: Exercise[] = [];
    for (const region of workedRegions) {
      const candidates = EXERCISES.filter((e) => e.kind === kind && e.serves.includes(region));
      if (candidates.some((e) => chosen.includes(e))) continue;
      const pick = firstAllowed(candidates);
      if (pick) chosen.push(pick);
    }
    return chosen.map((e) =>
      exerciseItem(e, `${why} ${regionIdsInWords(e.serves.filter((r) => workedRegions.includes(r)))}.`),
    );
  };

  const strengthening: AftercareItem[] = [];
  if (workedRegions.some((r) => STRENGTHEN_AFTER.includes(r))) {
    for (const target of ['glutes', 'core'] as const) {
      const pick = firstAllowed(EXERCISES.filter((e) => e.kind === 'strengthen' && e.strengthens === target));
      if (pick) {
        strengthening.push(
          exerciseItem(
            pick,
            `Strengthening the ${target} is part of the home programme after work on the hamstrings, low back or buttocks.`,
          ),
        );
      }
    }
  }

  return {
    stretches: perRegion('stretch', 'Gentle stretching after activity, for the area worked today:'),
    foamRolling: perRegion('foam_roll', 'Foam rolling, for the area worked today:'),
    strengthening,
    omitted,
  };
}
