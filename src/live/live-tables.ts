import type { Generated } from 'kysely';
import type { IncidentStatus } from './engine/incident-states.js';
import type { PartyRole } from './engine/live-messages.js';
import type { SignalKind } from '../domain/live-signals.js';

export interface LiveSequencesTable {
  booking_id: string;
  last_seq: number;
}

export interface LiveSignalsTable {
  booking_id: string;
  seq: number;
  sender_id: string;
  sender_role: PartyRole;
  client_message_id: string;
  kind: SignalKind;
  level: number | null;
  region: string | null;
  /** Pressure only: why the therapist went past the screening's cap (required then, by the live connection). */
  reason: string | null;
  at: Date;
}

export const INCIDENT_KINDS = ['inappropriate_conduct', 'injury', 'safety', 'other'] as const;
export type ReportedIncidentKind = (typeof INCIDENT_KINDS)[number];
export type IncidentKind = ReportedIncidentKind | 'overdue_checkout';

export interface IncidentsTable {
  id: Generated<string>;
  booking_id: string;
  kind: IncidentKind;
  reporter_id: string | null;
  reporter_role: PartyRole | 'system';
  description: string;
  status: Generated<IncidentStatus>;
  created_at: Date;
  updated_at: Date;
}

export interface IncidentEventsTable {
  id: Generated<number>;
  incident_id: string;
  from_status: IncidentStatus | null;
  to_status: IncidentStatus;
  actor_id: string | null;
  note: string | null;
  at: Date;
}

export interface LiveTables {
  live_sequences: LiveSequencesTable;
  live_signals: LiveSignalsTable;
  incidents: IncidentsTable;
  incident_events: IncidentEventsTable;
}
