/** A1 notation: 'A1', 'A1:C3', 'C:C', 'B:D', '2:2', '2:5', 'A2:C' (open end), with an optional sheet prefix. */
import { ScriptError } from '../errors';

export interface A1Ref {
  sheetName?: string;
  /** 1-based; null = unbounded (whole column/row) */
  r1: number | null;
  c1: number | null;
  r2: number | null;
  c2: number | null;
}

export function columnToLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function lettersToColumn(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const CELL = /^\$?([A-Za-z]{1,4})?\$?(\d+)?$/;

function parsePart(p: string): { c: number | null; r: number | null } | null {
  const m = CELL.exec(p);
  if (!m || (!m[1] && !m[2])) return null;
  return { c: m[1] ? lettersToColumn(m[1]) : null, r: m[2] ? Number(m[2]) : null };
}

/** Splits "'My Sheet'!A1:B2" into sheet name and range part. */
export function splitSheet(a1: string): { sheetName?: string; range: string } {
  const bang = a1.lastIndexOf('!');
  if (bang < 0) return { range: a1 };
  let name = a1.slice(0, bang);
  if (name.startsWith("'") && name.endsWith("'")) name = name.slice(1, -1).replace(/''/g, "'");
  return { sheetName: name, range: a1.slice(bang + 1) };
}

export function parseA1(a1: string): A1Ref {
  if (typeof a1 !== 'string' || a1.trim() === '') throw new ScriptError('Range not found');
  const { sheetName, range } = splitSheet(a1.trim());
  const [left, right, extra] = range.split(':');
  if (extra !== undefined) throw new ScriptError('Range not found');
  const a = parsePart(left);
  if (!a) throw new ScriptError('Range not found');
  if (right === undefined) {
    if (a.c === null || a.r === null) throw new ScriptError('Range not found');
    return { sheetName, r1: a.r, c1: a.c, r2: a.r, c2: a.c };
  }
  const b = parsePart(right);
  if (!b) throw new ScriptError('Range not found');
  // 'C:C' → columns; '2:5' → rows; 'A2:C' → from row 2 to the end
  if (a.r === null && b.r === null) {
    if (a.c === null || b.c === null) throw new ScriptError('Range not found');
    return { sheetName, r1: null, c1: Math.min(a.c, b.c), r2: null, c2: Math.max(a.c, b.c) };
  }
  if (a.c === null && b.c === null) {
    return { sheetName, r1: Math.min(a.r!, b.r!), c1: null, r2: Math.max(a.r!, b.r!), c2: null };
  }
  const r1 = a.r ?? 1;
  const c1 = a.c ?? 1;
  const r2 = b.r;
  const c2 = b.c;
  return {
    sheetName,
    r1: r2 === null ? r1 : Math.min(r1, r2),
    c1: c2 === null ? c1 : Math.min(c1, c2),
    r2: r2 === null ? null : Math.max(r1, r2),
    c2: c2 === null ? null : Math.max(c1, c2),
  };
}

export function a1Of(row: number, col: number, numRows: number, numCols: number): string {
  const tl = columnToLetters(col) + row;
  if (numRows === 1 && numCols === 1) return tl;
  return `${tl}:${columnToLetters(col + numCols - 1)}${row + numRows - 1}`;
}

export function quoteSheetName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `'${name.replace(/'/g, "''")}'`;
}
