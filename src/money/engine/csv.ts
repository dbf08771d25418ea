/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field with a comma, quote or line break in double quotes, quotes
 * doubled), with a guard against formula injection: a text cell that a spreadsheet would run as a formula (starting
 * with = + - @, a tab or a carriage return) is prefixed with an apostrophe. Numbers are written as they are, so a
 * negative amount stays a number.
 */
export type CsvCell = string | number | null | DecimalCell;

/** A decimal number written as it is (a negative amount is a number, not a formula). Made by `decimalAmount`. */
export interface DecimalCell {
  decimal: string;
}

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: CsvCell): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    if (!/^-?\d+(\.\d+)?$/.test(value.decimal)) throw new RangeError(`not a decimal number: ${value.decimal}`);
    return value.decimal;
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The rows (the first is the header) as one CSV document, each line ended by CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/** Minor units as a decimal amount ("12.50", "-3.05") for a spreadsheet; `digits` is the currency's minor digits. */
export function decimalAmount(minor: number, digits = 2): DecimalCell {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  if (digits === 0) return { decimal: `${sign}${abs}` };
  const unit = 10 ** digits;
  return { decimal: `${sign}${Math.floor(abs / unit)}.${String(abs % unit).padStart(digits, '0')}` };
}
