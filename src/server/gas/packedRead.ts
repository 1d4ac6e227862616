/**
 * When a read of a tab or of its base is packed (a slice at a time, each slice compressed: issue 10, memory): always
 * for a large pull, which asks for it, and where the caller asks for 'large' (a push, its preview) once the rows
 * or the cells are past what is held whole (engine/memoryBudget.ts: 20,000 rows, or 480,000 cells).
 */
import { holdsWhole } from '../engine/memoryBudget';

/** Whether a read of `rows` data rows of `columns` columns is packed, for the `packed` option of readTab and readSnapshot. */
export function packedRead(packed: boolean | 'large' | undefined, rows: number, columns: number): boolean {
  return packed === 'large' ? !holdsWhole(rows, columns) : packed === true;
}
