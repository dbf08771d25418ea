import { describe, expect, it } from 'vitest';
import { bundleSizes } from '../scripts/build-web.js';
import { WEB_JS_GZIP_BUDGET_BYTES } from './web-bundle-budget.js';

describe('the built web app', () => {
  it('keeps its gzipped JavaScript within budget (built by the global setup from the current sources)', () => {
    const sizes = bundleSizes();
    expect(sizes.jsGzipBytes).toBeGreaterThan(0);
    expect(sizes.jsGzipBytes, `gzipped JS is ${sizes.jsGzipBytes} bytes`).toBeLessThanOrEqual(WEB_JS_GZIP_BUDGET_BYTES);
  });
});
