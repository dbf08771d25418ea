import { z } from 'zod';
import type { App } from '../../app-context.js';
import { TEST_CARDS } from './test-cards.js';
import type { TestProcessor } from './test-processor.js';

/** Where the processor's hosted API is served (as Stripe.js posts to api.stripe.com, the card form posts here). */
export const TOKENIZE_PATH = '/test-processor/v1/payment-methods';

const cardBody = z
  .object({
    number: z.string().max(40).describe('The card number; spaces and dashes are ignored'),
    expMonth: z.number().int().min(1, 'The expiry month must be 1 to 12').max(12, 'The expiry month must be 1 to 12'),
    expYear: z.number().int().min(2000, 'Four digits, e.g. 2030').max(2200, 'Four digits, e.g. 2030'),
    cvc: z.string().regex(/^\d{3,4}$/, 'The security code is 3 or 4 digits'),
  })
  .strict()
  .meta({ examples: [{ number: '4242 4242 4242 4242', expMonth: 12, expYear: 2030, cvc: '123' }] });

const tokenizedCard = z
  .object({
    token: z.string().describe('The payment method token to send to Knotwork; the card number never is'),
    brand: z.string(),
    last4: z.string(),
    expMonth: z.number().int(),
    expYear: z.number().int(),
  })
  .meta({
    id: 'TestProcessorCard',
    examples: [{ token: 'pm_0123456789abcdef01234567', brand: 'Visa', last4: '4242', expMonth: 12, expYear: 2030 }],
  });

/**
 * The test processor's tokenisation endpoint: the browser sends the card here (never to Knotwork's own API) and gets
 * a token back, as with a real processor's hosted fields. No session is needed, as with a processor's publishable
 * key; the per-address rate limit keeps card-testing bots slow.
 */
export function registerTestProcessorRoutes(app: App, options: { processor: TestProcessor; perMinute: number }) {
  app.post(
    TOKENIZE_PATH,
    {
      config: { rateLimit: { max: options.perMinute, timeWindow: 60_000 } },
      schema: {
        tags: ['test processor'],
        summary: 'Tokenise a card at the built-in test processor',
        description:
          'The built-in test processor’s hosted tokenisation (it stands for a real card processor; no real card is ' +
          'charged). Checks the number (Luhn), that the card has not expired and the security code, and answers a ' +
          'token that Knotwork’s payment endpoints take; only the token, brand, last four digits, expiry and the test ' +
          `card’s behaviour are kept. At most ${options.perMinute} cards a minute per address. Test cards: ` +
          TEST_CARDS.map((card) => `${card.number.replace(/(\d{4})(?=\d)/g, '$1 ')} ${card.says}`).join('; ') +
          '; any other valid number succeeds. Errors name the field: `number` (`card_number_invalid`), `expMonth` ' +
          'or `expYear` (`card_expired`), `cvc`.',
        body: cardBody,
        problems: ['rate_limited'],
        response: { 201: tokenizedCard },
      },
    },
    async (request, reply) => reply.code(201).send(await options.processor.tokenizeCard(request.body)),
  );
}
