/**
 * Builds the web app into web/dist unless the build there was made from exactly the current inputs.
 * `npm start` runs this first, so one command serves an up-to-date app without rebuilding on every start.
 * The inputs are every file Vite bundled from this repository (recorded after each build), plus the
 * lockfile, the build configuration, this script and web/public; their SHA-256 is kept in
 * web/dist/build-inputs.json. `--force` rebuilds regardless.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip, gzipSync } from 'node:zlib';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Plugin } from 'vite';

const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
const DIST = resolve(ROOT, 'web/dist');
const STAMP = resolve(DIST, 'build-inputs.json');
const PUBLIC = 'web/public';
/** Inputs Vite reads without bundling them as modules. */
const ALWAYS = [
  'package-lock.json',
  'web/vite.config.ts',
  'web/index.html',
  'scripts/build-web.ts',
  ...(existsSync(resolve(ROOT, PUBLIC))
    ? readdirSync(resolve(ROOT, PUBLIC), { recursive: true, withFileTypes: true })
    : []
  )
    .filter((entry) => entry.isFile())
    .map((entry) => relative(ROOT, resolve(entry.parentPath, entry.name))),
];

interface Stamp {
  files: string[];
  hash: string;
}

function hashOf(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of [...new Set([...ALWAYS, ...files])].sort()) {
    hash.update(file).update('\0');
    hash.update(existsSync(resolve(ROOT, file)) ? readFileSync(resolve(ROOT, file)) : 'missing').update('\0');
  }
  return hash.digest('hex');
}

function readStamp(): Stamp | undefined {
  if (!existsSync(STAMP) || !existsSync(resolve(DIST, 'index.html'))) return undefined;
  try {
    return JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

function webBuildIsFresh(): boolean {
  const stamp = readStamp();
  return stamp !== undefined && stamp.hash === hashOf(stamp.files);
}

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/**
 * Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every script, style sheet and page of
 * the build. The server sends the copy the browser accepts (src/http/web-app.ts), so the strongest compression
 * is paid for once here (about 2 s), not on every request.
 */
async function precompress(distDir: string) {
  const files = readdirSync(distDir, { recursive: true, withFileTypes: true }).filter(
    (entry) => entry.isFile() && /\.(js|css|html)$/.test(entry.name),
  );
  await Promise.all(
    files.map(async (entry) => {
      const path = resolve(entry.parentPath, entry.name);
      const content = await readFile(path);
      const params = {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
      };
      await writeFile(`${path}.br`, await brotli(content, { params }));
      await writeFile(`${path}.gz`, await gzipped(content, { level: 9 }));
    }),
  );
}

/** Builds when stale; returns whether it built. */
export async function ensureWebBuild(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!options.force && webBuildIsFresh()) return false;
  const { build } = await import('vite');
  const inputs = new Set<string>();
  const recordInputs: Plugin = {
    name: 'knotwork-record-inputs',
    buildEnd() {
      for (const id of this.getModuleIds()) {
        const file = id.split('?')[0]!;
        if (file.startsWith(ROOT) && !file.includes('/node_modules/') && existsSync(file))
          inputs.add(relative(ROOT, file));
      }
    },
  };
  const started = performance.now();
  // Vite keeps a NODE_ENV it finds set, and vitest sets 'test': React would ship its development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      configFile: resolve(ROOT, 'web/vite.config.ts'),
      mode: 'production',
      plugins: [recordInputs],
      logLevel: options.quiet ? 'warn' : 'info',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  await precompress(DIST);
  const files = [...inputs].sort();
  writeFileSync(STAMP, JSON.stringify({ files, hash: hashOf(files) } satisfies Stamp, null, 2));
  if (!options.quiet) console.log(`Web app built in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

export interface BundleSizes {
  /** Every built script, raw and gzipped. */
  jsBytes: number;
  jsGzipBytes: number;
  /** The scripts index.html loads (and preloads): what a browser needs before the first screen. */
  initialJsGzipBytes: number;
  /** The largest script loaded on demand (a lazily loaded screen). */
  largestLazyJsGzipBytes: number;
  cssBytes: number;
  cssGzipBytes: number;
}

/** What a browser downloads for the app, raw and gzipped (level 9): all of it, and what the first screen needs. */
export function bundleSizes(distDir = DIST): BundleSizes {
  const sizes: BundleSizes = {
    jsBytes: 0,
    jsGzipBytes: 0,
    initialJsGzipBytes: 0,
    largestLazyJsGzipBytes: 0,
    cssBytes: 0,
    cssGzipBytes: 0,
  };
  const html = readFileSync(resolve(distDir, 'index.html'), 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!));
  for (const name of readdirSync(resolve(distDir, 'assets'))) {
    const kind = name.endsWith('.js') ? 'js' : name.endsWith('.css') ? 'css' : undefined;
    if (!kind) continue;
    const content = readFileSync(resolve(distDir, 'assets', name));
    const gzipped = gzipSync(content, { level: 9 }).length;
    sizes[`${kind}Bytes`] += content.length;
    sizes[`${kind}GzipBytes`] += gzipped;
    if (kind !== 'js') continue;
    if (initial.has(name)) sizes.initialJsGzipBytes += gzipped;
    else sizes.largestLazyJsGzipBytes = Math.max(sizes.largestLazyJsGzipBytes, gzipped);
  }
  return sizes;
}

export interface WireSizes {
  /** Body bytes as sent (headers not counted), per kind and in all. */
  htmlBytes: number;
  jsBytes: number;
  cssBytes: number;
  totalBytes: number;
  /** The same files uncompressed. */
  uncompressedBytes: number;
  /** Content-Encoding of each file, by path ('identity' when sent as is). */
  encodings: Record<string, string>;
}

/**
 * The first screen over the wire, asked of the running app as a browser asks: index.html, then the scripts and
 * style sheets it names (the entry, its preloaded modules, the style sheet), all with `Accept-Encoding: br, gzip`.
 */
export async function firstScreenOverTheWire(app: Pick<FastifyInstance, 'inject'>): Promise<WireSizes> {
  const sizes: WireSizes = {
    htmlBytes: 0,
    jsBytes: 0,
    cssBytes: 0,
    totalBytes: 0,
    uncompressedBytes: 0,
    encodings: {},
  };
  const fetch = async (url: string, accept: string) => {
    const response = await app.inject({ method: 'GET', url, headers: { accept, 'accept-encoding': 'br, gzip' } });
    if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode}`);
    const plain = await app.inject({ method: 'GET', url, headers: { accept } });
    sizes.encodings[url] = String(response.headers['content-encoding'] ?? 'identity');
    sizes.totalBytes += response.rawPayload.length;
    sizes.uncompressedBytes += plain.rawPayload.length;
    return { bytes: response.rawPayload.length, html: plain.body };
  };
  const page = await fetch('/', 'text/html');
  sizes.htmlBytes = page.bytes;
  for (const [, url, kind] of page.html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(js|css))"/g)) {
    sizes[kind === 'js' ? 'jsBytes' : 'cssBytes'] += (await fetch(url!, '*/*')).bytes;
  }
  return sizes;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const built = await ensureWebBuild({ force: process.argv.includes('--force') });
  if (!built) console.log('Web app is up to date (web/dist)');
}
