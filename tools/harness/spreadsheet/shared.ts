/**
 * Helpers shared by the SpreadsheetApp classes: argument checks, colours, write context, protection guard.
 */
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { UserApi } from '../session';
import { type SheetModel, type Span, type WriteContext } from './model';

export const PROTECTED_EDIT =
  'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.';
export const ARBITRARY_METADATA =
  'Adding developer metadata to arbitrary ranges is not currently supported. Developer metadata may only be added to the top-level spreadsheet, an individual sheet, or an entire row or column.';
export const METADATA_CHAR_LIMIT = 30_000;

const NAMED_COLORS: Record<string, string> = {
  white: '#ffffff',
  black: '#000000',
  red: '#ff0000',
  green: '#00ff00',
  blue: '#0000ff',
  yellow: '#ffff00',
  cyan: '#00ffff',
  magenta: '#ff00ff',
  gray: '#808080',
  grey: '#808080',
  orange: '#ffa500',
  purple: '#800080',
  silver: '#c0c0c0',
  lime: '#00ff00',
  navy: '#000080',
  maroon: '#800000',
  teal: '#008080',
  olive: '#808000',
};

export function normColor(c: unknown): string | undefined {
  if (c === null || c === undefined || c === '') return undefined;
  const s = String(c).trim().toLowerCase();
  if (NAMED_COLORS[s]) return NAMED_COLORS[s];
  if (/^#[0-9a-f]{3}$/.test(s)) return '#' + [...s.slice(1)].map((ch) => ch + ch).join('');
  return s;
}

export function signature(method: string, args: unknown[]): ScriptError {
  const types = args.map((a) =>
    a === null
      ? 'null'
      : Array.isArray(a)
        ? Array.isArray(a[0])
          ? 'Object[][]'
          : 'Object[]'
        : typeof a === 'string'
          ? 'String'
          : typeof a === 'number'
            ? 'number'
            : typeof a === 'boolean'
              ? 'Boolean'
              : 'Object',
  );
  return new ScriptError(`The parameters (${types.join(',')}) don't match the method signature for ${method}.`);
}

export function checkGrid(method: string, data: unknown, nr: number, nc: number): asserts data is unknown[][] {
  if (!Array.isArray(data)) throw signature(method, [data]);
  if (data.length !== nr) {
    throw new ScriptError(
      `The number of rows in the data does not match the number of rows in the range. The data has ${data.length} but the range has ${nr}.`,
    );
  }
  for (const row of data) {
    if (!Array.isArray(row)) throw signature(method, [data]);
    if (row.length !== nc) {
      throw new ScriptError(
        `The number of columns in the data does not match the number of columns in the range. The data has ${row.length} but the range has ${nc}.`,
      );
    }
  }
}

export function writeContext(env: Env): WriteContext {
  return {
    tz: env.state.spreadsheet.timeZone,
    now: env.now(),
    evaluate: env.state.formulaEvaluator,
    plainTextDropsApostrophe: env.state.divergent,
  };
}

export function spanOf(start1: number, count: number): Span {
  return { start: start1 - 1, end: start1 - 1 + count };
}

export function userEmail(u: unknown): string {
  if (u instanceof UserApi) return u.getEmail();
  return String(u);
}

export function guardEdit(env: Env, sheet: SheetModel, r0: number, c0: number, nr: number, nc: number): void {
  if (sheet.ss.protections.length === 0) return;
  const p = sheet.ss.blockingProtection(sheet, r0, c0, nr, nc, env.user());
  if (p) throw new ScriptError(PROTECTED_EDIT);
}
