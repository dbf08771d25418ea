import { describe, expect, it } from 'vitest';
import { bundleSizes, firstScreenOverTheWire } from '../scripts/build-web.js';
import { startTestApp } from './support/test-app.js';
import {
  FIRST_SCREEN_WIRE_BUDGET_BYTES,
  WEB_JS_GZIP_BUDGET_BYTES,
  WEB_LAZY_JS_GZIP_BUDGET_BYTES,
} from './web-bundle-budget.js';

describe('the built web app (built by the global setup from the current sources)', () => {
  it('keeps the JavaScript of the first screen within budget', () => {
    const sizes = bundleSizes();
    expect(sizes.initialJsGzipBytes).toBeGreaterThan(0);
    expect(
      sizes.initialJsGzipBytes,
      `gzipped JS before the first screen is ${sizes.initialJsGzipBytes} bytes`,
    ).toBeLessThanOrEqual(WEB_JS_GZIP_BUDGET_BYTES);
  });

  it('loads the heavy, rarely opened screens on demand, each within its own budget', () => {
    const sizes = bundleSizes();
    expect(sizes.jsGzipBytes).toBeGreaterThan(sizes.initialJsGzipBytes);
    expect(
      sizes.largestLazyJsGzipBytes,
      `the largest screen loaded on demand is ${sizes.largestLazyJsGzipBytes} bytes gzipped`,
    ).toBeLessThanOrEqual(WEB_LAZY_JS_GZIP_BUDGET_BYTES);
  });

  it('sends the first screen (page, scripts, style sheet) brotli-compressed, within the budget over the wire', async () => {
    const t = await startTestApp();
    try {
      const wire = await firstScreenOverTheWire(t.app);
      expect(Object.values(wire.encodings)).toEqual(Object.values(wire.encodings).map(() => 'br'));
      expect(wire.jsBytes).toBeGreaterThan(0);
      expect(wire.cssBytes).toBeGreaterThan(0);
      expect(wire.totalBytes, `the first screen is ${wire.totalBytes} bytes over the wire`).toBeLessThanOrEqual(
        FIRST_SCREEN_WIRE_BUDGET_BYTES,
      );
    } finally {
      await t.close();
    }
  });
});
