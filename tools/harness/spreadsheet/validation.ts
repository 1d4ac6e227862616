/**
 * Data validation: DataValidationBuilder, DataValidation and the check user edits go through.
 */
import { types } from 'node:util';
import { ApiObject, type ClassMeta, enumName } from '../api-base';
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { type DataValidationData, type RangeRef } from './model';
import { type Scalar } from './values';
import { signature } from './shared';
import { RangeApi } from './range';

const REQUIRE: Record<string, string> = {
  requireDateAfter: 'DATE_AFTER',
  requireDateBefore: 'DATE_BEFORE',
  requireDateBetween: 'DATE_BETWEEN',
  requireDateEqualTo: 'DATE_EQUAL_TO',
  requireDateNotBetween: 'DATE_NOT_BETWEEN',
  requireDateOnOrAfter: 'DATE_ON_OR_AFTER',
  requireDateOnOrBefore: 'DATE_ON_OR_BEFORE',
  requireNumberBetween: 'NUMBER_BETWEEN',
  requireNumberEqualTo: 'NUMBER_EQUAL_TO',
  requireNumberGreaterThan: 'NUMBER_GREATER_THAN',
  requireNumberGreaterThanOrEqualTo: 'NUMBER_GREATER_THAN_OR_EQUAL_TO',
  requireNumberLessThan: 'NUMBER_LESS_THAN',
  requireNumberLessThanOrEqualTo: 'NUMBER_LESS_THAN_OR_EQUAL_TO',
  requireNumberNotBetween: 'NUMBER_NOT_BETWEEN',
  requireNumberNotEqualTo: 'NUMBER_NOT_EQUAL_TO',
  requireTextContains: 'TEXT_CONTAINS',
  requireTextDoesNotContain: 'TEXT_DOES_NOT_CONTAIN',
  requireTextEqualTo: 'TEXT_EQUAL_TO',
  requireFormulaSatisfied: 'CUSTOM_FORMULA',
};

export class DataValidationBuilderApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DataValidationBuilder' };
  _criteria: string | null = null;
  _args: unknown[] = [];
  _allowInvalid = true;
  _helpText: string | null = null;
  private _set(criteria: string, args: unknown[]): DataValidationBuilderApi {
    this._criteria = criteria;
    this._args = args.map((a) => (types.isDate(a) ? new Date(a.getTime()) : a));
    return this;
  }
  requireValueInList(values: unknown, showDropdown = true): DataValidationBuilderApi {
    if (!Array.isArray(values)) throw signature('SpreadsheetApp.DataValidationBuilder.requireValueInList', [values]);
    if (values.length > 500)
      throw new ScriptError(
        'The data validation rule has more items than the limit of 500. Use the "List from a range" criteria instead.',
      );
    return this._set('VALUE_IN_LIST', [values.map((v) => String(v)), showDropdown !== false]);
  }
  requireValueInRange(range: RangeApi, showDropdown = true): DataValidationBuilderApi {
    if (!(range instanceof RangeApi))
      throw signature('SpreadsheetApp.DataValidationBuilder.requireValueInRange', [range]);
    return this._set('VALUE_IN_RANGE', [range, showDropdown !== false]);
  }
  requireCheckbox(checked?: unknown, unchecked?: unknown): DataValidationBuilderApi {
    return this._set(
      'CHECKBOX',
      checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked],
    );
  }
  requireDate(): DataValidationBuilderApi {
    return this._set('DATE_IS_VALID_DATE', []);
  }
  requireTextIsEmail(): DataValidationBuilderApi {
    return this._set('TEXT_IS_VALID_EMAIL', []);
  }
  requireTextIsUrl(): DataValidationBuilderApi {
    return this._set('TEXT_IS_VALID_URL', []);
  }
  requireDateAfter(d: unknown) {
    return this._set(REQUIRE.requireDateAfter, [d]);
  }
  requireDateBefore(d: unknown) {
    return this._set(REQUIRE.requireDateBefore, [d]);
  }
  requireDateBetween(a: unknown, b: unknown) {
    return this._set(REQUIRE.requireDateBetween, [a, b]);
  }
  requireDateEqualTo(d: unknown) {
    return this._set(REQUIRE.requireDateEqualTo, [d]);
  }
  requireDateNotBetween(a: unknown, b: unknown) {
    return this._set(REQUIRE.requireDateNotBetween, [a, b]);
  }
  requireDateOnOrAfter(d: unknown) {
    return this._set(REQUIRE.requireDateOnOrAfter, [d]);
  }
  requireDateOnOrBefore(d: unknown) {
    return this._set(REQUIRE.requireDateOnOrBefore, [d]);
  }
  requireNumberBetween(a: number, b: number) {
    return this._set(REQUIRE.requireNumberBetween, [a, b]);
  }
  requireNumberEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberEqualTo, [n]);
  }
  requireNumberGreaterThan(n: number) {
    return this._set(REQUIRE.requireNumberGreaterThan, [n]);
  }
  requireNumberGreaterThanOrEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberGreaterThanOrEqualTo, [n]);
  }
  requireNumberLessThan(n: number) {
    return this._set(REQUIRE.requireNumberLessThan, [n]);
  }
  requireNumberLessThanOrEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberLessThanOrEqualTo, [n]);
  }
  requireNumberNotBetween(a: number, b: number) {
    return this._set(REQUIRE.requireNumberNotBetween, [a, b]);
  }
  requireNumberNotEqualTo(n: number) {
    return this._set(REQUIRE.requireNumberNotEqualTo, [n]);
  }
  requireTextContains(t: string) {
    return this._set(REQUIRE.requireTextContains, [String(t)]);
  }
  requireTextDoesNotContain(t: string) {
    return this._set(REQUIRE.requireTextDoesNotContain, [String(t)]);
  }
  requireTextEqualTo(t: string) {
    return this._set(REQUIRE.requireTextEqualTo, [String(t)]);
  }
  requireFormulaSatisfied(f: string) {
    return this._set(REQUIRE.requireFormulaSatisfied, [String(f)]);
  }
  withCriteria(criteria: unknown, args: unknown[]): DataValidationBuilderApi {
    return this._set(enumName(criteria), Array.isArray(args) ? [...args] : []);
  }
  setAllowInvalid(allowInvalidData: boolean): DataValidationBuilderApi {
    this._allowInvalid = allowInvalidData !== false;
    return this;
  }
  setHelpText(helpText: string): DataValidationBuilderApi {
    this._helpText = helpText === null || helpText === undefined ? null : String(helpText);
    return this;
  }
  getAllowInvalid(): boolean {
    return this._allowInvalid;
  }
  getHelpText(): string | null {
    return this._helpText;
  }
  getCriteriaType(): unknown {
    return this._criteria ? this.env.enumValue('DataValidationCriteria', this._criteria) : null;
  }
  getCriteriaValues(): unknown[] {
    return criteriaValues(this.env, this._args);
  }
  copy(): DataValidationBuilderApi {
    const b = new DataValidationBuilderApi(this.env);
    b._criteria = this._criteria;
    b._args = [...this._args];
    b._allowInvalid = this._allowInvalid;
    b._helpText = this._helpText;
    return b;
  }
  build(): DataValidationApi {
    if (!this._criteria) throw new ScriptError('You must specify a criteria type for the data validation rule.');
    return new DataValidationApi(this.env, {
      criteria: this._criteria,
      args: this._args.map((a) =>
        a instanceof RangeApi
          ? ({ sheet: a._sheet, row: a._row, col: a._col, numRows: a._nr, numCols: a._nc } satisfies RangeRef)
          : a,
      ),
      allowInvalid: this._allowInvalid,
      helpText: this._helpText,
    });
  }
}

function criteriaValues(env: Env, args: unknown[]): unknown[] {
  return env.array(
    args.map((a) => {
      if (a instanceof RangeApi) return env.wrap(a);
      if (a && typeof a === 'object' && 'sheet' in a && 'numRows' in a) {
        const r = a as RangeRef;
        return env.wrap(new RangeApi(env, r.sheet, r.row, r.col, r.numRows, r.numCols));
      }
      if (types.isDate(a)) return env.date(a.getTime());
      if (Array.isArray(a)) return env.array(a);
      return a;
    }),
  );
}

export class DataValidationApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DataValidation' };
  constructor(
    env: Env,
    readonly _data: DataValidationData,
  ) {
    super(env);
  }
  getCriteriaType(): unknown {
    return this.env.enumValue('DataValidationCriteria', this._data.criteria);
  }
  getCriteriaValues(): unknown[] {
    return criteriaValues(this.env, this._data.args);
  }
  getAllowInvalid(): boolean {
    return this._data.allowInvalid;
  }
  getHelpText(): string | null {
    return this._data.helpText;
  }
  copy(): DataValidationBuilderApi {
    const b = new DataValidationBuilderApi(this.env);
    b._criteria = this._data.criteria;
    b._args = [...this._data.args];
    b._allowInvalid = this._data.allowInvalid;
    b._helpText = this._data.helpText;
    return b;
  }
}

/** Would Sheets accept `value` typed by a person into a cell with `dv`? (Only rejecting rules matter.) */
export function passesValidation(dv: DataValidationData, value: Scalar, display: string): boolean {
  if (value === '' || value === undefined) return true;
  const a = dv.args;
  const num = typeof value === 'number' ? value : Number.NaN;
  switch (dv.criteria) {
    case 'VALUE_IN_LIST':
      return (a[0] as string[]).includes(display);
    case 'CHECKBOX':
      if (a.length === 0) return typeof value === 'boolean';
      return String(value) === String(a[0]) || (a.length > 1 && String(value) === String(a[1]));
    case 'NUMBER_BETWEEN':
      return num >= Number(a[0]) && num <= Number(a[1]);
    case 'NUMBER_NOT_BETWEEN':
      return !Number.isNaN(num) && (num < Number(a[0]) || num > Number(a[1]));
    case 'NUMBER_EQUAL_TO':
      return num === Number(a[0]);
    case 'NUMBER_NOT_EQUAL_TO':
      return !Number.isNaN(num) && num !== Number(a[0]);
    case 'NUMBER_GREATER_THAN':
      return num > Number(a[0]);
    case 'NUMBER_GREATER_THAN_OR_EQUAL_TO':
      return num >= Number(a[0]);
    case 'NUMBER_LESS_THAN':
      return num < Number(a[0]);
    case 'NUMBER_LESS_THAN_OR_EQUAL_TO':
      return num <= Number(a[0]);
    case 'TEXT_CONTAINS':
      return display.includes(String(a[0]));
    case 'TEXT_DOES_NOT_CONTAIN':
      return !display.includes(String(a[0]));
    case 'TEXT_EQUAL_TO':
      return display === String(a[0]);
    case 'TEXT_IS_VALID_EMAIL':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(display);
    case 'TEXT_IS_VALID_URL':
      return /^(https?:\/\/)?[^\s.]+\.[^\s]+$/.test(display);
    case 'VALUE_IN_RANGE': {
      const r = a[0] as RangeRef;
      for (let i = 0; i < r.numRows; i++) {
        for (let j = 0; j < r.numCols; j++) {
          if (String(r.sheet.value(r.row - 1 + i, r.col - 1 + j)) === display) return true;
        }
      }
      return false;
    }
    default:
      return true;
  }
}
