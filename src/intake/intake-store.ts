import { type Kysely, type Transaction, sql } from 'kysely';
import { lockUser } from '../accounts/accounts-reads.js';
import type { DB } from '../schema.js';
import type { Intake } from './engine/intake-schema.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface IntakeVersion {
  clientId: string;
  version: number;
  createdAt: Date;
  intake: Intake;
}

const toVersion = (row: { client_id: string; version: number; created_at: Date; data: Intake }): IntakeVersion => ({
  clientId: row.client_id,
  version: row.version,
  createdAt: row.created_at,
  intake: row.data,
});

/** The client's latest intake, or a given version of it. */
export async function loadIntake(db: Db, clientId: string, version?: number): Promise<IntakeVersion | undefined> {
  let query = db.selectFrom('intake_versions').selectAll().where('client_id', '=', clientId);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  return row && toVersion(row);
}

/** The read of the client's latest intake, to be part of another capability's larger read (see intakeOfJson). */
export function latestIntakeOf(db: Db, clientId: string) {
  return db
    .selectFrom('intake_versions')
    .select(['client_id', 'version', 'created_at', 'data'])
    .where('client_id', '=', clientId)
    .orderBy('version', 'desc')
    .limit(1);
}

/** The intake a latestIntakeOf read gives as JSON (its time a string), or undefined when there is none. */
export function intakeOfJson(
  row: { client_id: string; version: number; created_at: Date | string; data: Intake } | null | undefined,
): IntakeVersion | undefined {
  return row ? toVersion({ ...row, created_at: new Date(row.created_at) }) : undefined;
}

/**
 * Saves the intake as the client's next version. The client's user row is locked first, so two saves at once
 * queue instead of both claiming the same number.
 */
export async function saveIntakeVersion(
  trx: Transaction<DB>,
  clientId: string,
  intake: Intake,
  now: number,
): Promise<IntakeVersion> {
  await lockUser(trx, clientId);
  const last = await trx
    .selectFrom('intake_versions')
    .select(sql<number>`coalesce(max(version), 0)`.as('version'))
    .where('client_id', '=', clientId)
    .executeTakeFirstOrThrow();
  const row = await trx
    .insertInto('intake_versions')
    .values({
      client_id: clientId,
      version: Number(last.version) + 1,
      data: JSON.stringify(intake),
      created_at: new Date(now),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toVersion(row);
}
