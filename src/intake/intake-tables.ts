import type { ColumnType } from 'kysely';
import type { Intake } from './engine/intake-schema.js';

export interface IntakeVersionsTable {
  client_id: string;
  version: number;
  data: ColumnType<Intake, string, never>;
  created_at: Date;
}

export interface IntakeTables {
  intake_versions: IntakeVersionsTable;
}
