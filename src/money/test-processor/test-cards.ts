import type { TestCardBehaviour } from '../money-tables.js';

/**
 * The test processor's cards, as a real processor's test mode has them: a few numbers with a fixed behaviour, and
 * every other number that passes the Luhn check succeeds. Listed in docs/PAYMENTS.md and next to the web card form.
 */
export const TEST_CARDS: ReadonlyArray<{ number: string; behaviour: TestCardBehaviour; says: string }> = [
  { number: '4242424242424242', behaviour: 'succeed', says: 'Visa: succeeds' },
  { number: '5555555555554444', behaviour: 'succeed', says: 'Mastercard: succeeds' },
  { number: '4000000000000002', behaviour: 'card_declined', says: 'declined (card_declined)' },
  { number: '4000000000009995', behaviour: 'insufficient_funds', says: 'declined for insufficient funds' },
  { number: '4000000000000069', behaviour: 'expired_card', says: 'declined as expired (expired_card)' },
  {
    number: '4000000000000077',
    behaviour: 'authorization_expires',
    says: 'authorisations expire at once: a capture answers authorization_expired; a new charge succeeds',
  },
  {
    number: '4000000000000259',
    behaviour: 'dispute',
    says: 'succeeds, then a dispute.opened webhook follows the capture or charge',
  },
  {
    number: '4000000000005126',
    behaviour: 'refund_fails',
    says: 'succeeds, but refunds answer pending and then a refund.failed webhook follows',
  },
];

const BEHAVIOURS = new Map(TEST_CARDS.map((card) => [card.number, card.behaviour]));

/** The card number's digits, without the spaces or dashes a person types; null if anything else is in it. */
export function cardDigits(number: string): string | null {
  const digits = number.replace(/[\s-]/g, '');
  return /^\d{12,19}$/.test(digits) ? digits : null;
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return 'Visa';
  if (/^(5[1-5]|2(2[2-9][1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/.test(digits)) return 'Mastercard';
  if (/^3[47]/.test(digits)) return 'American Express';
  if (/^(6011|65|64[4-9])/.test(digits)) return 'Discover';
  return 'Card';
}

export function cardBehaviour(digits: string): TestCardBehaviour {
  return BEHAVIOURS.get(digits) ?? 'succeed';
}
