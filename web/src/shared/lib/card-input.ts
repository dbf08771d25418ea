/** The card form's text as a person types it, and as the processor reads it (pure; card-input.test.ts). */

/** "4242424242424242" as "4242 4242 4242 4242" (groups of four, at most 19 digits), as the person types. */
export function spacedCardNumber(text: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 19);
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/** "1230" or "12/30" typed as "12/30"; a slash appears once the month is complete. */
export function typedExpiry(text: string, previous: string): string {
  const digits = text.replace(/\D/g, '').slice(0, 4);
  // Deleting the slash deletes it, rather than bringing it straight back.
  if (text.length < previous.length && previous.endsWith('/') && digits.length === 2) return digits.slice(0, 1);
  return digits.length >= 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
}

/** MM/YY as the processor wants it (month 1-12, four-digit year), or null when it is not a month and a year. */
export function parseExpiry(text: string): { expMonth: number; expYear: number } | null {
  const match = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(text);
  if (!match) return null;
  const expMonth = Number(match[1]);
  const year = Number(match[2]);
  if (expMonth < 1 || expMonth > 12) return null;
  return { expMonth, expYear: year < 100 ? 2000 + year : year };
}
