import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * What other capabilities read of bookings, as functions: only booking names its tables in SQL
 * (test/structure/table-ownership.test.ts). Pass the transaction you are in.
 */

/** The ids of every booking the client has had, in any state. */
export async function clientBookingIds(db: Db, clientId: string): Promise<string[]> {
  const rows = await db.selectFrom('bookings').select('id').where('client_id', '=', clientId).execute();
  return rows.map((r) => r.id);
}
