/** Wording helpers for messages people read. Pure. */

/** The text with its first character in upper case. */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
