import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

/**
 * Every time a person reads goes through src/domain/session-time.ts, so a session reads the same on every screen, in
 * every e-mail and on paper. These are the only other places allowed to hold a date formatter, and why.
 */
const ALLOWED = new Map([
  ['src/domain/session-time.ts', 'the one formatter'],
  ['src/scheduling/engine/zoned-time.ts', 'reads UTC offsets for the slot engine; it writes nothing a person reads'],
]);

const FORMATTING =
  /Intl\.(DateTimeFormat|NumberFormat)\b|\.toLocale(Date|Time)?String\(|\.formatRange\(|\.toUTCString\(|\.toDateString\(|\.toTimeString\(/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$|\.test-support\.ts$/.test(entry.name) ? [path] : [];
  });
}

describe('one formatter for times and money', () => {
  it('is the only code in the server and the web app that formats a date, a time or an amount', () => {
    const offenders = [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'web/src'))]
      .map((path) => relative(ROOT, path))
      .filter((path) => !ALLOWED.has(path))
      .flatMap((path) =>
        readFileSync(join(ROOT, path), 'utf8')
          .split('\n')
          .flatMap((line, i) => (FORMATTING.test(line) ? [`${path}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });
});
