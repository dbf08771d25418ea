import { describe, expectTypeOf, it } from 'vitest';
import type { ServerFrame } from '../../../../../src/live/engine/live-messages';
import type { LiveServerFrame } from '../../../shared/lib/api-types';

/*
 * The live channel is a WebSocket, whose frames the OpenAPI description does not carry, so the web writes
 * `LiveServerFrame` itself from the described parts. Checked by `tsc -p web` (npm test): it must be the server's
 * `ServerFrame` exactly. A test may read the server's types; the web app's own code may not (web-talks-http).
 */
describe('the live channel frames the web reads', () => {
  it('are the frames the server sends', () => {
    expectTypeOf<LiveServerFrame>().toEqualTypeOf<ServerFrame>();
  });
});
