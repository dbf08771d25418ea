import { resolve } from 'node:path';
import openapiTS, { type OpenAPI3, astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIDTOWN, createTherapist } from '../support/therapist-fixture.js';
import { type Session, type TestApp, createOperator, signUp, startTestApp } from '../support/test-app.js';

const FLOW = resolve(import.meta.dirname, 'openapi-client/booking-flow.ts');
const GENERATED = resolve(import.meta.dirname, 'openapi-client/knotwork-api.d.ts');

let t: TestApp;
let document: OpenAPI3;
let therapist: { id: string };
let client: Session;

beforeAll(async () => {
  t = await startTestApp();
  therapist = await createTherapist(t, {}, await createOperator(t));
  client = await signUp(t.app, 'client');
  document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => t.close());

/**
 * Type-checks the booking flow as `tsc` would, with the project's compiler options, against client types generated
 * from `source` (held in memory where the flow imports them). Returns the compiler's messages.
 */
async function typeErrorsAgainst(source: OpenAPI3): Promise<string[]> {
  const generated = astToString(await openapiTS(source));
  const { options } = ts.parseJsonConfigFileContent(
    // eslint-disable-next-line @typescript-eslint/unbound-method -- ts.sys's functions and the compiler host's (below) use no `this`
    ts.readConfigFile(resolve('tsconfig.json'), ts.sys.readFile).config,
    ts.sys,
    resolve('.'),
  );
  const host = ts.createCompilerHost(options);
  // eslint-disable-next-line @typescript-eslint/unbound-method -- see above
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (file) => resolve(file) === GENERATED || fileExists(file);
  host.readFile = (file) => (resolve(file) === GENERATED ? generated : readFile(file));
  host.getSourceFile = (file, language, ...rest) =>
    resolve(file) === GENERATED
      ? ts.createSourceFile(file, generated, language)
      : getSourceFile(file, language, ...rest);
  const program = ts.createProgram([FLOW], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a client generated from the OpenAPI description', () => {
  it('type-checks a booking flow written against it', async () => {
    expect(await typeErrorsAgainst(document)).toEqual([]);
  });

  it('stops type-checking when the description drifts from the flow', async () => {
    // Two drifts a client would notice: a field of the search results renamed, a new required field in a hold.
    const drifted = structuredClone(document) as any;
    const offer = drifted.components.schemas.AvailabilityPage.properties.results.items.properties.offers.items;
    offer.properties.times = offer.properties.slots;
    delete offer.properties.slots;
    offer.required = offer.required.map((name: string) => (name === 'slots' ? 'times' : name));
    const hold = drifted.paths['/api/bookings'].post.requestBody.content['application/json'].schema;
    hold.properties.clientNote = { type: 'string' };
    hold.required.push('clientNote');
    const errors = (await typeErrorsAgainst(drifted)).join('\n');
    expect(errors).toMatch(/Property 'slots' does not exist/);
    expect(errors).toMatch(/clientNote/);
  });

  it('books through the real server: sign in, search, hold, confirm', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    // Imported by path: a static import would make `tsc -p .` follow the flow to its generated types, which exist only in memory.
    const flow: {
      bookEarliestSlot(input: object): Promise<{ status: string; startsAt: string; therapist: { id: string } }>;
    } = await import(FLOW);
    const booking = await flow.bookEarliestSlot({
      baseUrl: address,
      email: client.email,
      password: 'correct horse battery',
      day: '2026-11-24',
      zone: 'America/New_York',
      near: MIDTOWN,
    });
    expect(booking).toMatchObject({
      status: 'confirmed',
      startsAt: '2026-11-24T14:00:00.000Z',
      therapist: { id: therapist.id },
    });
  });
});
