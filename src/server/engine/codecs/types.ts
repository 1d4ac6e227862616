/** Types and value-type groups shared by the value codecs. */

import type { SheetCell } from '../layout';
import type { CompanyData, DropdownOption, FieldValueUpdate, PersonData, ValueType } from '../../affinity/types';

export type { SheetCell };

/** The readable text of a value, and whether it had to be cut to fit a cell (such a cell is never pushed). */
export interface Canonical {
  text: string;
  truncated: boolean;
}

/** Time-zone knowledge the engine supplies (the spreadsheet's zone lives outside the pure engine). */
export interface CodecContext {
  /** 'YYYY-MM-DD' of an instant in the spreadsheet's time zone. */
  dayInSpreadsheet(instantMs: number): string;
  /** 'YYYY-MM-DD' of a Date read from a cell, in the spreadsheet's time zone. */
  dayOfDate(d: Date): string;
  /** The spreadsheet's time zone (IANA name), when known: pages are reused only where it is (engine/pageDigest.ts). */
  zone?: string;
}

/** What parsing an edit may look up. */
export interface ParseContext {
  /** The options of a dropdown / ranked-dropdown field (by field id). */
  dropdownOptions(fieldId: string): DropdownOption[];
  /** People a person cell may name (e.g. every person seen in the pull). */
  knownPersons: PersonData[];
  /** Companies a company cell may name. */
  knownCompanies: CompanyData[];
}

export type ParseResult = { ok: true; value: FieldValueUpdate } | { ok: false; reason: string };

/** Value types whose cell holds several items joined with MULTI_SEPARATOR. */
export const MULTI_VALUE_TYPES: ReadonlySet<ValueType> = new Set<ValueType>([
  'company-multi',
  'dropdown-multi',
  'filterable-text-multi',
  'list-multi',
  'location-multi',
  'number-multi',
  'person-multi',
]);

/** Value types shown as a date (a serial number in a 'yyyy-mm-dd' column). */
export const DATE_VALUE_TYPES: ReadonlySet<ValueType> = new Set<ValueType>(['datetime', 'interaction']);

/** Value types shown as a number. */
export const NUMBER_VALUE_TYPES: ReadonlySet<ValueType> = new Set<ValueType>(['number', 'formula-number']);

/**
 * Value types a sheet edit may write back (for list and global fields only).
 * Not here: filterable-text and filterable-text-multi (Affinity reserves them for fields it populates; users
 * can't create them), and the types Affinity's FieldValueUpdate can't write (formula-number, interaction,
 * list-multi, note, reminder).
 */
export const WRITABLE_VALUE_TYPES: ReadonlySet<ValueType> = new Set<ValueType>([
  'text',
  'number',
  'number-multi',
  'datetime',
  'location',
  'location-multi',
  'dropdown',
  'dropdown-multi',
  'ranked-dropdown',
  'person',
  'person-multi',
  'company',
  'company-multi',
]);
