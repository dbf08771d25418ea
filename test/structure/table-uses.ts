import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Every table belongs to the capability whose *-tables.ts declares it; only that capability's code names it in SQL,
 * through Kysely (selectFrom, insertInto, updateTable, deleteFrom, joins) or in raw `sql` text. Another capability
 * calls the owner's functions. dependency-cruiser sees imports, not SQL, so this test reads the SQL itself.
 */

/** Code allowed to name any table, and why. */
const ANYWHERE = new Map([
  [
    'src/demo/',
    'the demo data is written in bulk, above every capability, as a migration would (its own reason: start-up time)',
  ],
]);

function files(dir: string, keep: (name: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() ? files(path, keep) : keep(e.name) ? [path] : [];
  });
}

export function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const path of files(join(ROOT, 'src'), (n) => n.endsWith('-tables.ts'))) {
    const capability = relative(join(ROOT, 'src'), path).split('/')[0]!;
    const text = readFileSync(path, 'utf8');
    const block = /export interface \w+Tables\s*\{([^}]*)\}/.exec(text)?.[1] ?? '';
    for (const [, table] of block.matchAll(/^\s*(\w+):/gm)) owners.set(table!, capability);
  }
  return owners;
}

const QUERY =
  /\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|mergeInto)\(\s*['"](\w+)(?:\s+as\s+\w+)?['"]|\b(?:FROM|JOIN|INTO|UPDATE)\s+(\w+)\b/g;

/** The uses of other capabilities' tables in one file's text (`file` as `src/<capability>/...`). */
export function foreignUsesIn(file: string, text: string, owners: ReadonlyMap<string, string>): string[] {
  const capability = file.split('/')[1]!;
  const uses: string[] = [];
  for (const match of text.matchAll(QUERY)) {
    const table = match[1] ?? match[2]!;
    const owner = owners.get(table);
    if (owner && owner !== capability) uses.push(`${file} → ${table} (${owner})`);
  }
  return uses;
}

export function foreignTableUses(): string[] {
  const owners = tableOwners();
  const uses = new Set<string>();
  for (const path of files(
    join(ROOT, 'src'),
    (n) => /\.tsx?$/.test(n) && !/\.test\.tsx?$|\.test-support\.ts$/.test(n),
  )) {
    const file = relative(ROOT, path);
    if ([...ANYWHERE.keys()].some((prefix) => file.startsWith(prefix))) continue;
    for (const use of foreignUsesIn(file, readFileSync(path, 'utf8'), owners)) uses.add(use);
  }
  return [...uses].sort();
}
