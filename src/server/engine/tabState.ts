/** The tab and its base snapshot as pull and push see them, and the codec between cells and canonical texts. */
import type { ColumnSpec, SheetCell } from './layout';

export interface TabState {
  /** Data rows (below the header), each `width` cells wide. */
  values: SheetCell[][];
  /** Notes of the same cells. */
  notes: string[][];
  width: number;
  /** Column id → 0-based column, from developer metadata. */
  columnOf: Map<string, number>;
  /** Field id → 0-based column of columns whose field left the view (engine/leftFields.ts). */
  leftColumnOf?: Map<string, number>;
  /** Header row texts, when read. */
  headers?: string[];
}

export interface Snapshot {
  /** Column ids in stored order. */
  columns: string[];
  rows: Map<number, string[]>;
}

/** How a cell of the tab reads as a canonical text, and what to write for one. */
export interface TabCodec {
  /** Canonical text of a cell as the tab holds it. */
  read(cell: SheetCell, column: ColumnSpec): string;
  /** What to write for a canonical text. */
  write(text: string, column: ColumnSpec): SheetCell;
}
