import type { ColumnType, Generated } from 'kysely';

export type Role = 'client' | 'therapist' | 'operator';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  role: Role;
  display_name: string;
  created_at: Generated<Date>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

export interface SignInAttemptsTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Date;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_id: string | null;
  actor_role: Role | null;
  action: string;
  subject_type: string;
  subject_id: string;
  subject_user_id: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface AccountTables {
  users: UsersTable;
  sessions: SessionsTable;
  sign_in_attempts: SignInAttemptsTable;
  audit_log: AuditLogTable;
}
