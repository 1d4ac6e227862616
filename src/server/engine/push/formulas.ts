/**
 * Push, step 1b: formulas typed into synced cells (docs/push.md, "Formulas"). The scan finds edits by value; this
 * step looks at the formulas of the edited cells (one block read by the caller) and applies the policy:
 *
 * - an edit whose cell holds a formula carries the formula text, so the preview can show it beside its value;
 * - a formula a person already confirmed (sent by a push from the menu or the preview) and not changed since is not
 *   an edit, whatever its value now: a volatile formula (=NOW(), =TODAY(), =RAND()) is sent once, not on every run;
 * - a push nobody confirms (a scheduled run, Run sync now) holds formula edits back: not read, not sent, kept
 *   pending with their formulas, for a person to push;
 * - a text column sends what the cell shows: a formula whose value is a date or number in a text column is read from
 *   its displayed text, not from the day or number behind it.
 * Pure.
 */
import type { ColumnSpec } from '../layout';
import type { TabCodec } from '../tabState';
import type { PushPlan } from './plan';
import type { CellEdit, EditScan } from './scan';
import type { RequestResult } from './settle';

/** The formula of a cell pushed and confirmed, per `entryId:columnId`. */
export type ConfirmedFormulas = Map<string, string>;

export const formulaKey = (entryId: number, columnId: string) => `${entryId}:${columnId}`;

/** Whether the push was asked for by a person (who sees the preview or the summary) or runs unattended. */
export type FormulaMode = 'confirm' | 'hold';

/** A rectangle of the tab, 0-based data rows and columns. */
export interface CellBlock {
  row: number;
  col: number;
  rows: number;
  cols: number;
}

function allEdits(scan: EditScan): CellEdit[] {
  return [...[...scan.entries.values()].flatMap((e) => e.edits), ...scan.readOnly];
}

/** The smallest block holding every edited cell (null when nothing was edited): one Sheets read for all of them. */
export function editBlock(edits: readonly { row: number; col: number }[]): CellBlock | null {
  if (edits.length === 0) return null;
  let r0 = Infinity;
  let r1 = -1;
  let c0 = Infinity;
  let c1 = -1;
  for (const e of edits) {
    r0 = Math.min(r0, e.row);
    r1 = Math.max(r1, e.row);
    c0 = Math.min(c0, e.col);
    c1 = Math.max(c1, e.col);
  }
  return { row: r0, col: c0, rows: r1 - r0 + 1, cols: c1 - c0 + 1 };
}

export function scanEditBlock(scan: EditScan): CellBlock | null {
  return editBlock(allEdits(scan));
}

/** A grid read for a block, looked up by tab coordinates ('' outside it). */
export function gridLookup(
  block: CellBlock,
  grid: readonly (readonly unknown[])[],
): (row: number, col: number) => string {
  return (row, col) => {
    const v = grid[row - block.row]?.[col - block.col];
    return v === null || v === undefined ? '' : String(v);
  };
}

/**
 * Formula edits of text columns whose value is not text (a date or number, e.g. =NOW()): their displayed text is what
 * the user sees and what must be sent. (A typed value is left as the codec reads it: its base stays comparable by
 * value, which pull relies on.)
 */
export function editsNeedingDisplay(
  scan: EditScan,
  values: readonly (readonly unknown[])[],
  columns: Map<string, ColumnSpec>,
  formulaAt: (row: number, col: number) => string,
): CellEdit[] {
  return [...scan.entries.values()]
    .flatMap((e) => e.edits)
    .filter(
      (e) =>
        columns.get(e.columnId)?.valueType === 'text' &&
        typeof values[e.row]?.[e.col] !== 'string' &&
        formulaAt(e.row, e.col) !== '',
    );
}

export interface FormulaInput {
  scan: EditScan;
  columns: Map<string, ColumnSpec>;
  codec: TabCodec;
  /** The formula of a tab cell ('' when it holds a plain value). */
  formulaAt: (row: number, col: number) => string;
  /** The displayed text of the cells editsNeedingDisplay named (undefined for others). */
  displayAt?: (row: number, col: number) => string | undefined;
  confirmed: ConfirmedFormulas;
  mode: FormulaMode;
}

export interface FormulaOutcome {
  /** The scan without unchanged confirmed formulas and (when held) formula edits; edits carry their formula. */
  scan: EditScan;
  /** Formula edits held back by an unattended push (still pending). */
  held: CellEdit[];
  /** Confirmed formulas whose cell no longer holds them (to forget). */
  forgotten: string[];
}

export function applyFormulaPolicy(input: FormulaInput): FormulaOutcome {
  const { scan, columns, codec, formulaAt, displayAt, confirmed, mode } = input;
  const held: CellEdit[] = [];
  const forgotten: string[] = [];
  /** Whether the edit stays in the scan (annotated in place). */
  const keep = (e: CellEdit, sendable: boolean): boolean => {
    const spec = columns.get(e.columnId);
    const shown = displayAt?.(e.row, e.col);
    if (shown !== undefined && spec) e.local = codec.read(shown, spec);
    const formula = formulaAt(e.row, e.col);
    const key = formulaKey(e.entryId, e.columnId);
    const was = confirmed.get(key);
    if (was !== undefined && was !== formula) forgotten.push(key);
    if (!formula) return e.local !== e.base;
    if (was === formula) return false;
    e.formula = formula;
    if (e.local === e.base) return false;
    if (sendable && mode === 'hold') {
      held.push(e);
      return false;
    }
    return true;
  };
  const entries: EditScan['entries'] = new Map();
  for (const [id, entry] of scan.entries) {
    const edits = entry.edits.filter((e) => keep(e, true));
    if (edits.length > 0) entries.set(id, { row: entry.row, edits });
  }
  const readOnly = scan.readOnly.filter((e) => keep(e, false));
  return { scan: { ...scan, entries, readOnly }, held, forgotten };
}

/** The confirmed formulas after a push: cells sent (or found already in Affinity) with a formula are remembered. */
export function confirmedAfter(
  confirmed: ConfirmedFormulas,
  settled: readonly { entryId: number; columnId: string; formula?: string }[],
  forgotten: readonly string[],
): ConfirmedFormulas {
  const next = new Map(confirmed);
  for (const k of forgotten) next.delete(k);
  for (const s of settled) {
    const key = formulaKey(s.entryId, s.columnId);
    if (s.formula) next.set(key, s.formula);
    else next.delete(key);
  }
  return next;
}

/** The cells a push settled for the sheet: sent and accepted, or already in Affinity. */
export function settledCells(
  plan: PushPlan,
  results: readonly RequestResult[],
): { entryId: number; columnId: string; formula?: string }[] {
  const out: { entryId: number; columnId: string; formula?: string }[] = plan.decisions.filter(
    (d) => d.status === 'same',
  );
  plan.requests.forEach((req, i) => {
    if (results[i]?.ok) out.push(...req.cells);
  });
  return out;
}
