/**
 * Web app size: `npx tsx bench/web-bundle.bench.ts`. Rebuilds web/dist and records what a browser downloads: all
 * JavaScript and CSS gzipped at level 9, and the first screen over the wire (index.html and the scripts and style
 * sheet it names, as the real app sends them to a browser accepting brotli and gzip) in
 * bench/results/web-bundle.json. The budgets are also tests (test/web-bundle.test.ts), so a heavy dependency or
 * lost compression fails `npm test`.
 */
import { loadConfig } from '../src/config.js';
import { systemClock } from '../src/clock.js';
import { openDatabase } from '../src/db/connection.js';
import { migrate } from '../src/db/migrate.js';
import { buildApp } from '../src/http/app.js';
import {
  FIRST_SCREEN_WIRE_BUDGET_BYTES,
  WEB_JS_GZIP_BUDGET_BYTES,
  WEB_LAZY_JS_GZIP_BUDGET_BYTES,
} from '../test/web-bundle-budget.js';
import { bundleSizes, ensureWebBuild, firstScreenOverTheWire } from '../scripts/build-web.js';
import { checkTarget, record } from './lib/record.js';

await ensureWebBuild({ force: true, quiet: true });
const sizes = bundleSizes();

// The real app (on an empty in-memory database) serves the build, as `npm start` does.
const database = await openDatabase({ memory: true });
await migrate(database);
const app = await buildApp(
  { database, db: database.db, config: loadConfig({ LOG_LEVEL: 'silent' }), clock: systemClock },
  { logger: false },
);
const wire = await firstScreenOverTheWire(app);
await app.close();
await database.close();

const kib = (bytes: number) => Math.round(bytes / 102.4) / 10;
const kb = (bytes: number) => Math.round(bytes / 100) / 10;
record({
  name: 'web-bundle',
  metrics: {
    jsKiB: kib(sizes.jsBytes),
    jsGzipKiB: kib(sizes.jsGzipBytes),
    initialJsGzipKiB: kib(sizes.initialJsGzipBytes),
    largestLazyJsGzipKiB: kib(sizes.largestLazyJsGzipBytes),
    cssKiB: kib(sizes.cssBytes),
    cssGzipKiB: kib(sizes.cssGzipBytes),
    firstScreenWireKB: kb(wire.totalBytes),
    firstScreenWireHtmlKB: kb(wire.htmlBytes),
    firstScreenWireJsKB: kb(wire.jsBytes),
    firstScreenWireCssKB: kb(wire.cssBytes),
    firstScreenUncompressedKB: kb(wire.uncompressedBytes),
    firstScreenEncodings: [...new Set(Object.values(wire.encodings))].join(', '),
  },
  targets: [
    checkTarget(
      { metric: 'initialJsGzipKiB', max: kib(WEB_JS_GZIP_BUDGET_BYTES), unit: 'KiB' },
      kib(sizes.initialJsGzipBytes),
    ),
    checkTarget(
      { metric: 'largestLazyJsGzipKiB', max: kib(WEB_LAZY_JS_GZIP_BUDGET_BYTES), unit: 'KiB' },
      kib(sizes.largestLazyJsGzipBytes),
    ),
    checkTarget(
      { metric: 'firstScreenWireKB', max: kb(FIRST_SCREEN_WIRE_BUDGET_BYTES), unit: 'kB' },
      kb(wire.totalBytes),
    ),
  ],
  notes: [
    'React 19 + react-dom is about 60 KiB of the gzipped JavaScript; TanStack Query about 12 KiB; the rest is Knotwork.',
    'The consultation (with the body map) and the pre-session brief load on demand, so the first screen does not carry them.',
    'firstScreenWire*: body bytes as the app sends them (kB = 1,000 bytes; response headers not counted) with Accept-Encoding: br, gzip. Scripts, style sheets and index.html are compressed at build (brotli quality 11, gzip level 9) and sent as those files.',
  ],
});
