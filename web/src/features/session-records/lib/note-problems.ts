import { ApiError } from '../../../shared/lib/api-client';

/** Where the API's answer to a note puts its problems: at pain before, at a region worked, at a reason. */
export function noteProblems(error: unknown) {
  const errors = error instanceof ApiError ? (error.problem.errors ?? []) : [];
  // A missing reason is reported at what went beyond the screening (pressure, region or techniques); it is shown once, at the reason.
  const problemsAt = (i: number) => errors.filter((e) => e.field.startsWith(`note.regionsWorked.${i}.`));
  return {
    painBefore: errors.filter((e) => e.field.startsWith('note.painBefore.')),
    /** The reason missing for a region only the live record shows, by its label. */
    liveOnly: (label: string) =>
      errors.find((e) => e.field === 'exceedanceReasons' && e.message.startsWith(`${label}:`))?.message,
    reason: (i: number) => problemsAt(i).find((e) => e.code === 'reason_required')?.message,
    worked: (i: number, part: string) =>
      problemsAt(i).find((e) => e.code !== 'reason_required' && e.field.startsWith(`note.regionsWorked.${i}.${part}`))
        ?.message,
  };
}

export type NoteProblems = ReturnType<typeof noteProblems>;
