import { ensureWebBuild } from '../scripts/build-web.js';

/** Browser tests serve web/dist; build it once, before any test file runs, if its inputs changed. */
export default async function setup() {
  await ensureWebBuild({ quiet: true });
}
