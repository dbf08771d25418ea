import type { CompiledQuery, Compilable, Kysely } from 'kysely';
import type { DB } from '../schema.js';

/**
 * A query of fixed shape, built and compiled once instead of on every call. Kysely builds a tree of frozen nodes
 * and compiles it to SQL on each call: 40 µs for the session lookup's two-table select on the reference machine, far
 * more for a CTE, for SQL that is the same each time. `prepareQuery(build)` calls `build` once, on first use, with
 * placeholders in place of the parameters; the compiled SQL is kept, and each call sends it with the placeholders'
 * values filled in.
 *
 * `build` must hand each parameter to Kysely as a value (`where(col, '=', params.x)`, `values({ col: params.x })`,
 * `` sql`${params.x}` ``) and nothing else: a placeholder refuses to be turned into a string, number or date, so a
 * value computed from a parameter, or one the query's shape depends on (an `in` list, an optional filter), fails
 * when the query is prepared, as does a parameter that never reaches the SQL. Constants may be baked in. The SQL is
 * PostgreSQL's, which both backends' dialects compile to (src/db/connection.ts), so one compilation serves every
 * database and transaction. A Kysely with plugins (the tests' statement recorders) is served the usual way, built
 * and compiled on each call, so its plugins see every query.
 */
export interface PreparedQuery<P, R> {
  execute(db: Kysely<DB>, params: P): Promise<R[]>;
  executeTakeFirst(db: Kysely<DB>, params: P): Promise<R | undefined>;
  /** The compiled SQL (for tests and EXPLAIN). */
  sql(db: Kysely<DB>): string;
}

class Placeholder {
  constructor(readonly name: string) {}
  [Symbol.toPrimitive](): never {
    throw new Error(
      `prepareQuery: parameter "${this.name}" is used as a value while building; pass it to Kysely as is`,
    );
  }
}

export function prepareQuery<P extends Record<string, unknown>, R>(
  build: (db: Kysely<DB>, params: P) => Compilable<R>,
): PreparedQuery<P, R> {
  let compiled: CompiledQuery<R> | undefined;
  const prepared = (db: Kysely<DB>): CompiledQuery<R> => {
    if (compiled) return compiled;
    const placeholders = new Map<string, Placeholder>();
    const params = new Proxy({} as P, {
      get: (_target, name) => {
        if (typeof name !== 'string') return undefined;
        let placeholder = placeholders.get(name);
        if (!placeholder) placeholders.set(name, (placeholder = new Placeholder(name)));
        return placeholder;
      },
    });
    const query = build(db, params).compile();
    const used = new Set(query.parameters.filter((p): p is Placeholder => p instanceof Placeholder));
    for (const placeholder of placeholders.values())
      if (!used.has(placeholder))
        throw new Error(`prepareQuery: parameter "${placeholder.name}" does not reach the SQL as a parameter`);
    return (compiled = query);
  };
  const execute = async (db: Kysely<DB>, params: P) => {
    // A Kysely with plugins (the tests' statement recorders) sees each query built and compiled afresh, as usual.
    if (db.getExecutor().plugins.length > 0) return (await db.executeQuery(build(db, params))).rows;
    const query = prepared(db);
    const parameters = query.parameters.map((p) => (p instanceof Placeholder ? params[p.name] : p));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
  return {
    execute,
    executeTakeFirst: async (db, params) => (await execute(db, params))[0],
    sql: (db) => prepared(db).sql,
  };
}
