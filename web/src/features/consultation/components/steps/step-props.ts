import type { IntakeDraft } from '../../lib/intake-draft';

/** What every step of the consultation gets: the draft, a way to change it, and the last save's error. */
export interface StepProps {
  draft: IntakeDraft;
  update: (patch: Partial<IntakeDraft>) => void;
  /** The message for one field of the request from the last failed save, if any. */
  errorOf: (field: string) => string | undefined;
}
