/**
 * The formula step of a push (engine/push/formulas.ts has the rules): reads the edited cells' formulas in one block
 * (one Sheets call, only when something was edited), their displayed texts when a formula in a text column has a
 * non-text value (one more call, only then), and keeps the formulas people confirmed in document properties, per tab.
 */
import {
  applyFormulaPolicy,
  confirmedAfter,
  editBlock,
  editsNeedingDisplay,
  gridLookup,
  scanEditBlock,
  type ConfirmedFormulas,
  type FormulaMode,
  type FormulaOutcome,
} from '../engine/push/formulas';
import type { ColumnSpec } from '../engine/layout';
import type { EditScan, CellEdit } from '../engine/push/scan';
import type { TabCodec, TabState } from '../engine/tabState';
import { readDisplayed, readFormulas } from '../gas/formulaCells';
import type { KeyValueStore } from '../ports';
import { readChunked, writeChunked } from './propertyChunks';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const formulasKey = (sheetId: number) => `affinity.formulas.${sheetId}`;

export function loadConfirmedFormulas(doc: KeyValueStore, sheetId: number): ConfirmedFormulas {
  const text = readChunked(doc, formulasKey(sheetId));
  if (!text) return new Map();
  try {
    return new Map(Object.entries(JSON.parse(text) as Record<string, string>));
  } catch {
    return new Map();
  }
}

export function saveConfirmedFormulas(doc: KeyValueStore, sheetId: number, formulas: ConfirmedFormulas): void {
  const key = formulasKey(sheetId);
  const text = formulas.size === 0 ? '' : JSON.stringify(Object.fromEntries(formulas));
  const before = readChunked(doc, key) ?? '';
  if (before === text) return;
  if (text === '') {
    const n = Number(doc.get(key)) || 0;
    for (let i = 0; i < n; i++) doc.delete(`${key}.${i}`);
    doc.delete(key);
    return;
  }
  writeChunked(doc, key, text);
}

export interface FormulaStep extends FormulaOutcome {
  confirmed: ConfirmedFormulas;
  /** SpreadsheetApp calls this step made (0, 1 or 2). */
  sheetsCalls: number;
}

export function formulaStep(
  sheet: Sheet,
  tab: TabState,
  scan: EditScan,
  columns: Map<string, ColumnSpec>,
  codec: TabCodec,
  doc: KeyValueStore,
  sheetId: number,
  mode: FormulaMode,
): FormulaStep {
  const block = scanEditBlock(scan);
  const confirmed = loadConfirmedFormulas(doc, sheetId);
  if (!block) return { scan, held: [], forgotten: [], confirmed, sheetsCalls: 0 };
  const formulaAt = gridLookup(block, readFormulas(sheet, block));
  let sheetsCalls = 1;
  let displayAt: ((row: number, col: number) => string | undefined) | undefined;
  const needing: CellEdit[] = editsNeedingDisplay(scan, tab.values, columns, formulaAt);
  const displayBlock = editBlock(needing);
  if (displayBlock) {
    const shown = gridLookup(displayBlock, readDisplayed(sheet, displayBlock));
    const wanted = new Set(needing.map((e) => `${e.row}:${e.col}`));
    displayAt = (row, col) => (wanted.has(`${row}:${col}`) ? shown(row, col) : undefined);
    sheetsCalls++;
  }
  const out = applyFormulaPolicy({ scan, columns, codec, formulaAt, displayAt, confirmed, mode });
  return { ...out, confirmed, sheetsCalls };
}

/** Remembers the formulas a push settled (and forgets those the cells no longer hold). */
export function rememberFormulas(
  doc: KeyValueStore,
  sheetId: number,
  step: FormulaStep,
  settled: readonly { entryId: number; columnId: string; formula?: string }[],
): void {
  if (step.forgotten.length === 0 && step.confirmed.size === 0 && !settled.some((s) => s.formula)) return;
  saveConfirmedFormulas(doc, sheetId, confirmedAfter(step.confirmed, settled, step.forgotten));
}
