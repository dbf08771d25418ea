/**
 * Builds what `npm start` runs, each part only when its inputs changed (as scripts/build-web.ts does for web/dist):
 *  - the web app (web/dist, by build-web.ts);
 *  - the server as one ES module, dist/main.js (esbuild bundle of src/main.ts and the pure-JavaScript packages it loads
 *    at start; the rest stay in node_modules, see UNBUNDLED), with its source map, and the migrations' SQL copied to
 *    dist/db/migrations. Files read at run time are found from CODE_DIR / PROJECT_ROOT (src/config.ts), which are
 *    the same from dist/main.js as from src/config.ts: one Node module to load at start instead of hundreds; and
 *  - an empty embedded database, created and migrated once, in dist/pglite-template/: a first start on PGlite copies
 *    it instead of running initdb and every migration (src/db/connection.ts, option `template`).
 * Each part's inputs are hashed (SHA-256) into a stamp beside it; `--force` rebuilds all. `npm start` runs this with
 * `node --import tsx` and then `node dist/main.js`, so no TypeScript is compiled while the server runs.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './build-web.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const DIST = resolve(ROOT, 'dist');
const SERVER_STAMP = resolve(DIST, 'build-inputs.json');
const TEMPLATE = resolve(DIST, 'pglite-template');
const TEMPLATE_STAMP = `${TEMPLATE}.json`;

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(resolve(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, resolve(entry.parentPath, entry.name)))
    .filter(keep)
    .sort();
}

function hashOf(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0');
    hash.update(existsSync(resolve(ROOT, file)) ? readFileSync(resolve(ROOT, file)) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

function stampHash(stamp: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(stamp, 'utf8')) as { hash?: string }).hash;
  } catch {
    return undefined;
  }
}

const serverSources = () => filesUnder('src', (file) => !file.endsWith('.test.ts'));
const COMMON_INPUTS = ['package-lock.json', 'scripts/build-server.ts'];

/**
 * Left out of the bundle and imported from node_modules as they are: packages that read their own files relative to
 * their module (PGlite's wasm and data, pdfkit's fonts, swagger-ui's page, @fastify/swagger its package.json), native
 * addons (argon2, sharp), optional native parts of pg and ws that are not installed, and packages the server loads
 * only when first used (nodemailer, the password-strength dictionaries), which a bundle would read and keep at start.
 * An external package imported by a module the server loads lazily would be imported at start instead (esbuild
 * hoists it), so the lazily loaded engines' packages (rrule, node-ical) are bundled, where they stay lazy.
 */
const UNBUNDLED = [
  '@electric-sql/pglite',
  '@node-rs/argon2',
  'sharp',
  'pdfkit',
  '@fastify/swagger',
  '@fastify/swagger-ui',
  'pg-native',
  'bufferutil',
  'utf-8-validate',
  'nodemailer',
  '@zxcvbn-ts/*',
];

async function buildServer(sources: string[], hash: string, quiet: boolean) {
  const started = performance.now();
  const { build } = await import('esbuild');
  for (const entry of existsSync(DIST) ? readdirSync(DIST) : []) {
    if (!entry.startsWith('pglite-template')) rmSync(resolve(DIST, entry), { recursive: true, force: true });
  }
  await build({
    entryPoints: [resolve(ROOT, 'src/main.ts')],
    bundle: true,
    outfile: resolve(DIST, 'main.js'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: UNBUNDLED,
    // The bundled CommonJS packages call require(), which an ES module does not have.
    banner: {
      js: "import { createRequire as __knotworkRequire } from 'node:module'; const require = __knotworkRequire(import.meta.url);",
    },
    sourcemap: true,
    sourcesContent: false,
    // No comments or spare whitespace: less to parse and keep at start, and the text stays ASCII (one '—' in a
    // package's comment makes V8 hold the whole script as two-byte text). Names are not shortened; stack traces are
    // mapped back to src/ and node_modules by the source map (`--enable-source-maps` in `npm start`).
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    // Bundling renames clashing names; a class's or function's name stays what its source says.
    keepNames: true,
    logLevel: 'warning',
  });
  // Read at run time from beside the bundle (src/db/migrate.ts finds them from CODE_DIR in src/config.ts).
  for (const file of sources.filter((file) => !file.endsWith('.ts'))) {
    mkdirSync(dirname(resolve(DIST, relative('src', file))), { recursive: true });
    cpSync(resolve(ROOT, file), resolve(DIST, relative('src', file)));
  }
  writeFileSync(SERVER_STAMP, JSON.stringify({ hash }, null, 2));
  if (!quiet) console.log(`Server built in ${((performance.now() - started) / 1000).toFixed(1)} s (dist)`);
}

async function buildTemplate(hash: string, quiet: boolean) {
  const started = performance.now();
  const { openDatabase, pgliteVersion } = await import('../src/db/connection.js');
  const { migrate } = await import('../src/db/migrate.js');
  const { trimTemplate } = await import('../src/db/durable-nodefs.js');
  // Built beside the final place and renamed into it, so a build killed half way leaves no half template.
  const scratch = mkdtempSync(resolve(DIST, 'pglite-template-building-'));
  try {
    // Unsynced while it is built: the template is only ever copied, and a copy is synced whole when made.
    const database = await openDatabase({ dataDir: join(scratch, 'data') }, { unsyncedForBench: true });
    try {
      await migrate(database);
      await trimTemplate(database);
    } finally {
      await database.close();
    }
    rmSync(TEMPLATE, { recursive: true, force: true });
    cpSync(join(scratch, 'data'), TEMPLATE, { recursive: true });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  writeFileSync(TEMPLATE_STAMP, JSON.stringify({ hash, pglite: pgliteVersion() }, null, 2));
  if (!quiet) console.log(`Empty database built in ${((performance.now() - started) / 1000).toFixed(1)} s (dist)`);
}

/** Builds what is stale; returns whether anything was built. */
export async function ensureServerBuild(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  const quiet = options.quiet ?? false;
  let built = await ensureWebBuild(options);
  const sources = serverSources();
  const serverHash = hashOf([...COMMON_INPUTS, 'tsconfig.json', ...sources]);
  if (options.force || !existsSync(resolve(DIST, 'main.js')) || stampHash(SERVER_STAMP) !== serverHash) {
    await buildServer(sources, serverHash, quiet);
    built = true;
  }
  const templateHash = hashOf([...COMMON_INPUTS, ...sources.filter((file) => file.startsWith('src/db/'))]);
  if (options.force || !existsSync(join(TEMPLATE, 'PG_VERSION')) || stampHash(TEMPLATE_STAMP) !== templateHash) {
    await buildTemplate(templateHash, quiet);
    built = true;
  }
  return built;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await ensureServerBuild({ force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') });
}
