/**
 * A tab's rows packed, for a tab too large to hold as arrays of cells (issue 10, memory; docs/schedules.md, "Large
 * views"): each row one string (its cells as JSON, a date as {"d": ms}), read back as an array of cells when asked;
 * with a compressor, the rows of each slice read sealed into one compressed batch (opened again when a row of it is
 * read: read rows in the tab's order).
 * `rows()` reads as the `SheetCell[][]` every tab state is (index, length, iteration), unpacking a row on each access
 * of an index not among the last few read, so the merge (engine/pull.ts) needs no change. The last few rows read are
 * shared with whoever reads them again, so a caller must not change a row it was given: it replaces it
 * (`rows[i] = line`, as a push does when it writes a new entry's id). Notes are kept
 * sparse: a row without a note reads as an empty row shared by all. Pure: no Apps Script global.
 */
import type { SheetCell } from './layout';
import { packJson, type TextCompressor } from './packedRows';

/** Rows kept unpacked after a read: the merge reads a row several times in a row, a block's gaps row by row. */
const RECENT = 64;
/** Batches kept open after a read: rows are read in the tab's order, a window at a time. */
const OPEN = 2;

/** The cells as JSON (engine/packedRows.ts packJson), a date as {"d": ms}. */
function pack(line: readonly SheetCell[]): string {
  return packJson(line.map((v) => (v instanceof Date ? { d: v.getTime() } : v)));
}

function unpack(p: string): SheetCell[] {
  // A row is a flat array: its dates are the objects among its cells (a reviver would be called for every value).
  const line = JSON.parse(p) as (SheetCell | { d: number | null })[];
  for (let i = 0; i < line.length; i++) {
    const v = line[i];
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) line[i] = new Date(v.d ?? NaN);
  }
  return line as SheetCell[];
}

/** Reads as an array of rows whose `at(i)` is called for each index (the other array methods work through it). */
function arrayView<T>(
  length: () => number,
  at: (i: number) => T,
  release: () => void,
  replace?: (i: number, value: T) => void,
): T[] {
  return new Proxy([] as T[], {
    get(target, prop, receiver) {
      if (prop === 'length') return length();
      if (typeof prop === 'string') {
        const i = prop.length > 0 && prop.length < 10 && prop.charCodeAt(0) <= 57 ? Number(prop) : NaN;
        if (Number.isInteger(i) && i >= 0 && String(i) === prop) return i < length() ? at(i) : undefined;
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
    has(_target, prop) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) return Number(prop) < length();
      return prop in Array.prototype;
    },
    set(_target, prop, value) {
      // Letting go of every row (length = 0), and replacing a row where allowed; a row is never changed in place.
      if (prop === 'length' && value === 0) {
        release();
        return true;
      }
      if (replace && typeof prop === 'string' && /^\d+$/.test(prop) && Number(prop) < length()) {
        replace(Number(prop), value as T);
        return true;
      }
      return false;
    },
  });
}

export class PackedLines {
  /** Sealed batches (each a JSON array of packed rows, compressed) and the first row of each. */
  private readonly batches: string[] = [];
  private readonly starts: number[] = [];
  private pending: string[] = [];
  private count = 0;
  /** Batches opened last (at most OPEN), and rows unpacked last (at most RECENT). */
  private open = new Map<number, string[]>();
  private recent = new Map<number, SheetCell[]>();
  /** Rows replaced since they were read (a push writes new entries' ids into their rows): few, kept as they are. */
  private replaced = new Map<number, SheetCell[]>();
  private readonly compressor: TextCompressor | null;

  constructor(compressor?: TextCompressor) {
    this.compressor = compressor ?? null;
  }

  get length(): number {
    return this.count;
  }

  push(line: readonly SheetCell[]): void {
    this.pending.push(pack(line));
    this.count++;
  }

  /** Compresses the rows pushed since the last seal into one batch (nothing without a compressor). */
  seal(): void {
    if (!this.compressor || this.pending.length === 0) return;
    this.starts.push(this.count - this.pending.length);
    this.batches.push(this.compressor.zip(JSON.stringify(this.pending)));
    this.pending = [];
  }

  private packedOf(row: number): string | undefined {
    if (row < 0 || row >= this.count) return undefined;
    const sealedRows = this.count - this.pending.length;
    if (row >= sealedRows) return this.pending[row - sealedRows];
    // The last batch starting at or before the row.
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= row) lo = mid;
      else hi = mid - 1;
    }
    let rows = this.open.get(lo);
    if (!rows) {
      rows = JSON.parse(this.compressor!.unzip(this.batches[lo])) as string[];
      if (this.open.size >= OPEN) this.open.delete(this.open.keys().next().value!);
      this.open.set(lo, rows);
    }
    return rows[row - this.starts[lo]];
  }

  at(row: number): SheetCell[] | undefined {
    const hit = this.replaced.get(row) ?? this.recent.get(row);
    if (hit) return hit;
    const p = this.packedOf(row);
    if (p === undefined) return undefined;
    const line = unpack(p);
    if (this.recent.size >= RECENT) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(row, line);
    return line;
  }

  release(): void {
    this.batches.length = 0;
    this.starts.length = 0;
    this.pending = [];
    this.count = 0;
    this.open = new Map();
    this.recent = new Map();
    this.replaced = new Map();
  }

  /** Puts a new row in place of one read (`rows()[i] = line` does the same). */
  replace(row: number, line: SheetCell[]): void {
    if (row < 0 || row >= this.count) return;
    this.recent.delete(row);
    this.replaced.set(row, line);
  }

  /** The rows as the array of rows a tab state holds: read by index, a row replaced by assigning to its index. */
  rows(): SheetCell[][] {
    return arrayView(
      () => this.count,
      (i) => this.at(i)!,
      () => this.release(),
      (i, line) => this.replace(i, line),
    );
  }
}

/** Notes of a tab's rows, kept only for rows that have one. */
export class SparseNotes {
  private readonly lines = new Map<number, string[]>();
  private count = 0;
  private readonly empty: string[] = [];

  get length(): number {
    return this.count;
  }

  push(line: readonly string[]): void {
    if (line.some((n) => n !== '')) this.lines.set(this.count, line.slice());
    this.count++;
  }

  release(): void {
    this.lines.clear();
    this.count = 0;
  }

  /** The notes as the array of rows a tab state holds; a row without notes reads as an empty row (every cell ''). */
  rows(): string[][] {
    return arrayView(
      () => this.count,
      (i) => this.lines.get(i) ?? this.empty,
      () => this.release(),
    );
  }
}
