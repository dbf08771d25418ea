/**
 * Gift card codes: KNOT-XXXX-XXXX-XXXX, eleven random characters of Crockford's base 32 (no I, L, O or U, so none is
 * mistaken for another) and a check character, so a mistyped code is caught before any lookup. Pure: the random
 * bytes are given (by a crypto RNG at the edge).
 */

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARS = 11;

/** The check character, by Luhn mod 32: any one wrong character, and most swaps of neighbours, change it. */
function checkChar(body: string): string {
  const n = CODE_ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const addend = factor * CODE_ALPHABET.indexOf(body[i]!);
    sum += Math.floor(addend / n) + (addend % n);
    factor = factor === 2 ? 1 : 2;
  }
  return CODE_ALPHABET[(n - (sum % n)) % n]!;
}

/** A code from at least 11 random bytes (each takes a character; 5 bits of each byte are used). */
export function giftCardCode(randomBytes: Uint8Array): string {
  if (randomBytes.length < RANDOM_CHARS) throw new RangeError(`need ${RANDOM_CHARS} random bytes`);
  let body = '';
  for (let i = 0; i < RANDOM_CHARS; i++) body += CODE_ALPHABET[randomBytes[i]! & 31];
  const chars = body + checkChar(body);
  return `KNOT-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/**
 * The canonical form of a code as a person typed it (any case, spaces or dashes, O for 0, I and L for 1), or null
 * when it is not a well-formed code with the right check character.
 */
export function normalizeGiftCardCode(input: string): string | null {
  let chars = input.toUpperCase().replace(/[\s-]/g, '');
  if (chars.startsWith('KNOT')) chars = chars.slice(4);
  chars = chars.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (chars.length !== RANDOM_CHARS + 1) return null;
  for (const c of chars) if (!CODE_ALPHABET.includes(c)) return null;
  const body = chars.slice(0, RANDOM_CHARS);
  if (checkChar(body) !== chars[RANDOM_CHARS]) return null;
  return `KNOT-${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/** What may be applied from a card holding `balanceMinor` to `owedMinor`: all of it, or all the card has. */
export function giftCardApplies(balanceMinor: number, owedMinor: number): number {
  return Math.max(0, Math.min(balanceMinor, owedMinor));
}
