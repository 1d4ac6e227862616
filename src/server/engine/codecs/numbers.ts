/** Reading a number a person typed. */

export type ParsedNumber = { ok: true; value: number } | { ok: false; reason: string };

const PLAIN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const GROUPED = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:[eE][+-]?\d+)?$/;

/**
 * Accepts a decimal number with an optional sign, decimal point and exponent ('1250000', '-0.5', '.5',
 * '1e6', '1e+21'), with optional thousands commas in correct groups of three ('1,234.5', '1,250,000').
 * The Unicode minus '−' counts as '-'. Rejects everything else, with a reason a person can act on:
 * percentages ('12%': 12 or 0.12?), currency, decimal commas ('1,5'), words.
 */
export function parseNumberText(text: string): ParsedNumber {
  const t = text.trim().replace(/^\u2212/, '-');
  let digits: string | null = null;
  if (PLAIN.test(t)) digits = t;
  else if (GROUPED.test(t)) digits = t.replace(/,/g, '');
  if (digits !== null) {
    const value = Number(digits);
    if (!Number.isFinite(value)) {
      return { ok: false, reason: `“${text.trim()}” is too large a number.` };
    }
    return { ok: true, value: Object.is(value, -0) ? 0 : value };
  }
  if (/^[+-]?[\d.,]+\s*%$/.test(t)) {
    return {
      ok: false,
      reason: `“${text.trim()}” is a percentage. Type the number itself, such as ${t.replace(/\s*%$/, '')} or its fraction.`,
    };
  }
  return { ok: false, reason: `“${text.trim()}” is not a number. Type a number such as 1250000.` };
}
