/**
 * Web app size: `npx tsx bench/web-bundle.bench.ts`. Rebuilds web/dist and records what a browser downloads
 * (all JavaScript and CSS, and the JavaScript of the first screen, gzipped at level 9) in
 * bench/results/web-bundle.json. The budgets are also a test (test/web-bundle.test.ts), so a heavy dependency
 * fails `npm test`.
 */
import { WEB_JS_GZIP_BUDGET_BYTES, WEB_LAZY_JS_GZIP_BUDGET_BYTES } from '../test/web-bundle-budget.js';
import { bundleSizes, ensureWebBuild } from '../scripts/build-web.js';
import { checkTarget, record } from './lib/record.js';

await ensureWebBuild({ force: true, quiet: true });
const sizes = bundleSizes();
const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;
record({
  name: 'web-bundle',
  metrics: {
    jsKiB: kb(sizes.jsBytes),
    jsGzipKiB: kb(sizes.jsGzipBytes),
    initialJsGzipKiB: kb(sizes.initialJsGzipBytes),
    largestLazyJsGzipKiB: kb(sizes.largestLazyJsGzipBytes),
    cssKiB: kb(sizes.cssBytes),
    cssGzipKiB: kb(sizes.cssGzipBytes),
  },
  targets: [
    checkTarget({ metric: 'initialJsGzipKiB', max: kb(WEB_JS_GZIP_BUDGET_BYTES), unit: 'KiB' }, kb(sizes.initialJsGzipBytes)),
    checkTarget({ metric: 'largestLazyJsGzipKiB', max: kb(WEB_LAZY_JS_GZIP_BUDGET_BYTES), unit: 'KiB' }, kb(sizes.largestLazyJsGzipBytes)),
  ],
  notes: [
    'React 19 + react-dom is about 60 KiB of the gzipped JavaScript; TanStack Query about 12 KiB; the rest is Knotwork.',
    'The consultation (with the body map) and the pre-session brief load on demand, so the first screen does not carry them.',
  ],
});
