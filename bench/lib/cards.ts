/**
 * Every bench client saves a card before booking, as a client does (issue 16): the number goes to the test
 * processor's hosted tokenisation endpoint, the token to POST /api/me/payment-methods, and the confirm pays with the
 * payment method's id. `send` is one request to the app (over HTTP or app.inject); answers the ids in `cookies` order.
 */
export type BenchSend = (request: {
  method: 'POST';
  path: string;
  cookie?: string;
  body: unknown;
}) => Promise<{ status: number; body: string }>;

export async function saveCards(send: BenchSend, cookies: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const cookie of cookies) {
    const tokenised = await send({
      method: 'POST',
      path: '/test-processor/v1/payment-methods',
      body: { number: '4242424242424242', expMonth: 12, expYear: 2035, cvc: '123' },
    });
    if (tokenised.status !== 201) throw new Error(`tokenising: ${tokenised.status} ${tokenised.body}`);
    const { token } = JSON.parse(tokenised.body) as { token: string };
    const saved = await send({ method: 'POST', path: '/api/me/payment-methods', cookie, body: { token } });
    if (saved.status !== 201) throw new Error(`saving the card: ${saved.status} ${saved.body}`);
    ids.push((JSON.parse(saved.body) as { id: string }).id);
  }
  return ids;
}

/** `send` over fetch, for a bench whose app listens on `baseUrl`. */
export const fetchSend =
  (baseUrl: string): BenchSend =>
  async ({ method, path, cookie, body }) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.text() };
  };
