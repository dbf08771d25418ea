import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import type { Role } from '../../src/accounts/account-tables.js';
import { prepareQuery } from '../../src/db/prepared-query.js';
import { freshDatabase } from '../support/test-app.js';

/** src/db/prepared-query.ts: one compilation, the values of each call, and shapes it refuses when prepared. */
describe('prepareQuery', () => {
  let database: Database;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    ({ database, drop } = await freshDatabase());
    await database.db
      .insertInto('users')
      .values([
        { email: 'a@example.com', password_hash: 'x', role: 'client', display_name: 'Ann' },
        { email: 'b@example.com', password_hash: 'x', role: 'therapist', display_name: 'Bo' },
      ])
      .execute();
  });
  afterAll(() => drop());

  it('compiles once and sends each call its own values, constants kept', async () => {
    let builds = 0;
    const byEmail = prepareQuery((db, params: { email: string; role: Role }) => {
      builds++;
      return db
        .selectFrom('users')
        .select(['display_name'])
        .where('email', '=', params.email)
        .where('role', '=', params.role)
        .where('password_hash', '=', 'x');
    });
    expect(await byEmail.executeTakeFirst(database.db, { email: 'a@example.com', role: 'client' })).toEqual({
      display_name: 'Ann',
    });
    expect(await byEmail.execute(database.db, { email: 'b@example.com', role: 'therapist' })).toEqual([
      { display_name: 'Bo' },
    ]);
    expect(await byEmail.executeTakeFirst(database.db, { email: 'b@example.com', role: 'client' })).toBeUndefined();
    // Inside a transaction too, with the same compilation.
    const inTransaction = await database.db
      .transaction()
      .execute((trx) => byEmail.executeTakeFirst(trx, { email: 'a@example.com', role: 'client' }));
    expect(inTransaction).toEqual({ display_name: 'Ann' });
    expect(builds).toBe(1);
    expect(byEmail.sql(database.db)).toMatch(/"email" = \$1 and "role" = \$2 and "password_hash" = \$3/);
  });

  it('builds afresh for a Kysely with plugins, so they see every query', async () => {
    let builds = 0;
    const seen: string[] = [];
    const byEmail = prepareQuery((db, params: { email: string }) => {
      builds++;
      return db.selectFrom('users').select(['display_name']).where('email', '=', params.email);
    });
    const recording = database.db.withPlugin({
      transformQuery: (args) => {
        seen.push(args.node.kind);
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    expect(await byEmail.executeTakeFirst(recording, { email: 'a@example.com' })).toEqual({ display_name: 'Ann' });
    expect(await byEmail.executeTakeFirst(recording, { email: 'b@example.com' })).toEqual({ display_name: 'Bo' });
    expect(seen).toEqual(['SelectQueryNode', 'SelectQueryNode']);
    expect(builds).toBe(2);
    expect(await byEmail.executeTakeFirst(database.db, { email: 'b@example.com' })).toEqual({ display_name: 'Bo' });
    expect(builds).toBe(3);
  });

  it('refuses, when first used, a parameter turned into another value while building', async () => {
    const computed = prepareQuery((db, params: { at: number }) =>
      db.selectFrom('users').select('id').where('created_at', '<', new Date(params.at)),
    );
    await expect(computed.execute(database.db, { at: 0 })).rejects.toThrow(/"at" is used as a value/);
    const interpolated = prepareQuery((db, params: { email: string }) =>
      db
        .selectFrom('users')
        .select('id')
        .where(sql<boolean>`email = ${sql.raw(`'${params.email}'`)}`),
    );
    await expect(interpolated.execute(database.db, { email: 'a' })).rejects.toThrow(/"email" is used as a value/);
  });

  it('refuses a parameter that never reaches the SQL', async () => {
    const dropped = prepareQuery((db, params: { email: string; role: Role }) =>
      db
        .selectFrom('users')
        .select('id')
        .where('email', '=', params.email)
        .$if(params.role === undefined, (q) => q.where('role', '=', 'client')),
    );
    await expect(dropped.execute(database.db, { email: 'a', role: 'client' })).rejects.toThrow(
      /"role" does not reach the SQL/,
    );
  });
});
