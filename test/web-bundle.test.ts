import { describe, expect, it } from 'vitest';
import { bundleSizes } from '../scripts/build-web.js';
import { WEB_JS_GZIP_BUDGET_BYTES, WEB_LAZY_JS_GZIP_BUDGET_BYTES } from './web-bundle-budget.js';

describe('the built web app (built by the global setup from the current sources)', () => {
  it('keeps the JavaScript of the first screen within budget', () => {
    const sizes = bundleSizes();
    expect(sizes.initialJsGzipBytes).toBeGreaterThan(0);
    expect(sizes.initialJsGzipBytes, `gzipped JS before the first screen is ${sizes.initialJsGzipBytes} bytes`).toBeLessThanOrEqual(WEB_JS_GZIP_BUDGET_BYTES);
  });

  it('loads the heavy, rarely opened screens on demand, each within its own budget', () => {
    const sizes = bundleSizes();
    expect(sizes.jsGzipBytes).toBeGreaterThan(sizes.initialJsGzipBytes);
    expect(sizes.largestLazyJsGzipBytes, `the largest screen loaded on demand is ${sizes.largestLazyJsGzipBytes} bytes gzipped`).toBeLessThanOrEqual(WEB_LAZY_JS_GZIP_BUDGET_BYTES);
  });
});
