import { type Kysely, type Transaction, sql } from 'kysely';
import { z } from 'zod';
import type { DB } from './schema.js';

type Db = Kysely<DB> | Transaction<DB>;
export type TableName = keyof DB;

/**
 * One capability's share of a client's health data: what it puts in the export (`GET /api/me/health-data`) and what
 * it deletes on erasure (`DELETE /api/me/health-data`). Each capability that stores a client's data defines its parts
 * next to its tables (`<capability>/*-health-data.ts`), and `http/health-data.ts` registers them all in one list.
 * `test/structure/health-data-coverage.test.ts` fails when a table with a client or booking column is in no part
 * (and not listed there as kept, with its reason).
 */
export interface HealthDataPart<S extends z.ZodRawShape = z.ZodRawShape, C extends string = string> {
  /** For people: what this part holds. */
  name: string;
  /** The tables whose client rows the export reads. */
  exports: readonly TableName[];
  /** The tables whose client rows erasure deletes. */
  erases: readonly TableName[];
  /** The export's fields this part answers, in the order the export shows them. */
  exportShape: S;
  export(db: Db, clientId: string): Promise<z.output<z.ZodObject<S>>>;
  /** The counts erasure answers with (`erased.<count>`), in order. */
  counts: readonly C[];
  /**
   * Deletes the client's rows in the caller's transaction and counts them (or, for what the market keeps, restricts
   * them until a later purge: signed session notes).
   */
  erase(trx: Transaction<DB>, clientId: string, now: number): Promise<Record<C, number>>;
  /** What erasure at `now` would keep restricted instead of deleting at once, told to the client beforehand. */
  keptRestricted?(db: Db, clientId: string, now: number): Promise<KeptRestricted[]>;
}

/** Records erasure keeps, restricted (read by no one), until a purge job deletes them. */
export interface KeptRestricted {
  /** How many records. */
  count: number;
  /** The instant they are purged (ISO). */
  until: string;
  /** The last day they are kept, in the zone of the market whose rule keeps them ('2032-12-07'). */
  lastDay: string;
  /** The whole rule in words, for the client to read before confirming. */
  sentence: string;
}

/**
 * Tells the database that this transaction erases health data (`knotwork.erasing_health_data`, until it ends): the
 * triggers that keep signed notes and sent aftercare unchangeable accept it. Erasure and the purge of restricted
 * notes declare it; nothing else may.
 */
export async function declareHealthDataErasure(trx: Transaction<DB>): Promise<void> {
  await sql`SELECT set_config('knotwork.erasing_health_data', 'on', true)`.execute(trx);
}

/** Checks one part against its own shape and counts, then lets it join the registry's list. */
export function healthDataPart<S extends z.ZodRawShape, C extends string>(part: HealthDataPart<S, C>): HealthDataPart {
  return part;
}

export interface HealthDataRegistry {
  parts: readonly HealthDataPart[];
  /** Every part's export fields, in registration order. */
  exportShape: z.ZodRawShape;
  /** Every part's counts as numbers, in registration order. */
  erasedShape: Record<string, z.ZodNumber>;
  /** The client's health data, part by part, read with `db` (pass the transaction that audits the read). */
  export(db: Db, clientId: string): Promise<Record<string, unknown>>;
  /** Erases the client's health data in `trx`, and what each part deleted (or restricted). */
  erase(trx: Transaction<DB>, clientId: string, now: number): Promise<Record<string, number>>;
  /** What erasure at `now` would keep restricted, every part's, for the confirmation before it. */
  keptRestricted(db: Db, clientId: string, now: number): Promise<KeptRestricted[]>;
}

/**
 * The registry. The export walks the parts in order. Erasure first tells the database that this transaction is an
 * erasure (`knotwork.erasing_health_data`, until it ends: the triggers that keep signed notes and sent aftercare
 * unchangeable accept it), then walks the parts backwards, so a part's rows go before those of the parts listed
 * before it, which they may refer to (screenings before the intake versions they were screened on).
 */
export function healthDataRegistry(parts: readonly HealthDataPart[]): HealthDataRegistry {
  const exportShape: Record<string, z.core.$ZodType> = {};
  const erasedShape: Record<string, z.ZodNumber> = {};
  for (const part of parts) {
    for (const [field, schema] of Object.entries(part.exportShape)) {
      if (field in exportShape) throw new Error(`Health data: two parts export ${field}`);
      exportShape[field] = schema;
    }
    for (const count of part.counts) {
      if (count in erasedShape) throw new Error(`Health data: two parts count ${count}`);
      erasedShape[count] = z.number();
    }
  }
  return {
    parts,
    exportShape,
    erasedShape,
    async export(db, clientId) {
      const result: Record<string, unknown> = {};
      for (const part of parts) Object.assign(result, await part.export(db, clientId));
      return result;
    },
    async erase(trx, clientId, now) {
      await declareHealthDataErasure(trx);
      const counts: Record<string, number> = {};
      for (const part of [...parts].reverse()) Object.assign(counts, await part.erase(trx, clientId, now));
      return Object.fromEntries(Object.keys(erasedShape).map((count) => [count, counts[count] ?? 0]));
    },
    async keptRestricted(db, clientId, now) {
      const kept: KeptRestricted[] = [];
      for (const part of parts) if (part.keptRestricted) kept.push(...(await part.keptRestricted(db, clientId, now)));
      return kept;
    },
  };
}
