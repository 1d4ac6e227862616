/**
 * When a read of a tab or of its base is packed (a slice at a time, each slice compressed: issue 10, memory): always
 * for a large pull, which asks for it, and past PACKED_OVER_ROWS rows where the caller asks for 'large' (a push, its
 * preview).
 */
export const PACKED_OVER_ROWS = 20_000;

/** Whether a read of `rows` data rows is packed, for the `packed` option of readTab and readSnapshot. */
export function packedRead(packed: boolean | 'large' | undefined, rows: number): boolean {
  return packed === 'large' ? rows > PACKED_OVER_ROWS : packed === true;
}
