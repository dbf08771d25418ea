import type { SoapNote } from '../../care/engine/soap.js';

/**
 * What the records tell of an earlier session: its signed note in SOAP form and the measurements taken. Plain data
 * (records/session-record-summary.ts reads it), so the pre-session brief's core can take it without a store.
 */
export interface SessionRecordSummary {
  /** The signed note as it stands (amendments applied); null when none was signed. */
  note: { signedAt: string; amendments: number; soap: SoapNote } | null;
  measurements: {
    measure: string;
    name: string;
    keyLabel: string | null;
    value: number;
    unit: string;
    band: string | null;
  }[];
}
