import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { ProblemError } from '../domain/problems.js';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export function requestFingerprint(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(JSON.stringify(body)).digest('hex');
}

async function storedResponse(
  db: Kysely<DB>,
  userId: string,
  key: string,
  fingerprint: string,
): Promise<StoredResponse | undefined> {
  const row = await db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('user_id', '=', userId)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.request_hash !== fingerprint) throw new ProblemError('idempotency_key_reused');
  return { statusCode: row.status_code, body: row.response };
}

/**
 * Runs `work` in a transaction at most once per (user, Idempotency-Key): the response is stored in the same
 * transaction as the effect, so a retry, even one racing the first attempt, gets the first attempt's response.
 * Without a key the work simply runs.
 */
export async function idempotent(
  db: Kysely<DB>,
  userId: string,
  key: string | undefined,
  fingerprint: string,
  work: (trx: Transaction<DB>) => Promise<StoredResponse>,
): Promise<StoredResponse> {
  if (key === undefined) return db.transaction().execute(work);
  const earlier = await storedResponse(db, userId, key, fingerprint);
  if (earlier) return earlier;
  try {
    return await db.transaction().execute(async (trx) => {
      const response = await work(trx);
      await trx
        .insertInto('idempotency_keys')
        .values({
          user_id: userId,
          key,
          request_hash: fingerprint,
          status_code: response.statusCode,
          response: JSON.stringify(response.body),
        })
        .execute();
      return response;
    });
  } catch (error) {
    // A concurrent attempt with the same key may have committed first; its response is the answer.
    const winner = await storedResponse(db, userId, key, fingerprint);
    if (winner) return winner;
    throw error;
  }
}
