import type { ColumnType, Generated } from 'kysely';

export type Role = 'client' | 'therapist' | 'operator';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  password_hash: string;
  role: Role;
  display_name: string;
  /** E.164 (`+12125550100`), validated with libphonenumber-js; null when not given. */
  phone: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  /** When the person closed the account; its name, address, phone and password are scrubbed then. */
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
}

/** One (e-mail, address) pair's attempts since it last succeeded or went quiet; see sign-in-throttle.ts. */
export interface SignInLimitsTable {
  email: string;
  ip: string;
  failures: number;
  last_attempt_at: Date;
}

/** An e-mail's attempts from addresses that never signed in to it, in the current window; see sign-in-throttle.ts. */
export interface SignInBudgetsTable {
  email: string;
  failures: number;
  window_started_at: Date;
}

/** An address that signed in to an e-mail's account, and when it last did. */
export interface SignInKnownAddressesTable {
  email: string;
  ip: string;
  last_success_at: Date;
}

/** A one-time sign-in link sent by e-mail; only the token's SHA-256 is kept. */
export interface SignInLinksTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** A one-time "forgot password" link; only the token's SHA-256 is kept. */
export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** A change of e-mail address waiting for the new address to be verified; only the token's SHA-256 is kept. */
export interface EmailChangesTable {
  token_hash: string;
  user_id: string;
  new_email: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** An optional kind of e-mail a person turned off (email false) or back on; see domain/notification-topics.ts. */
export interface NotificationPreferencesTable {
  user_id: string;
  topic: string;
  email: boolean;
  updated_at: Date;
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
  sign_in_limits: SignInLimitsTable;
  sign_in_links: SignInLinksTable;
  sign_in_budgets: SignInBudgetsTable;
  sign_in_known_addresses: SignInKnownAddressesTable;
  audit_log: AuditLogTable;
  password_resets: PasswordResetsTable;
  email_changes: EmailChangesTable;
  notification_preferences: NotificationPreferencesTable;
}
