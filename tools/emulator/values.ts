/**
 * Field values: how a write (`FieldValueUpdate`) is checked and turned into the stored `FieldValue`, how a stored
 * value is served, and which field-value-change records a write produces.
 */
import type {
  CompanyData,
  DropdownOption,
  Field,
  FieldMetadata,
  FieldValue,
  Location,
  PersonData,
  ValueType,
} from '../../src/server/affinity/types';
import { affinityDatetime } from './pacific';
import { ApiError, validation } from './errors';

/** Value types no API write accepts (they are computed or managed elsewhere in Affinity). */
export const READ_ONLY_VALUE_TYPES: ReadonlySet<string> = new Set([
  'formula-number',
  'interaction',
  'list-multi',
  'note',
  'reminder',
]);
export const MULTI_VALUE_TYPES: ReadonlySet<string> = new Set([
  'company-multi',
  'dropdown-multi',
  'filterable-text-multi',
  'list-multi',
  'location-multi',
  'number-multi',
  'person-multi',
]);
/** Multi writes whose schema caps the array (dropdown-multi's does not). */
const MAX_MULTI_WRITE = 100;
/** Multi values are served truncated to this many items, with `totalCount`. */
export const MAX_MULTI_READ = 100;

export function nullValue(valueType: ValueType): FieldValue {
  return valueType === 'interaction'
    ? { type: valueType, data: null, internalPerson: null }
    : { type: valueType, data: null };
}

/** A stored field as Affinity serves it: restricted entries hide values; long multi values are truncated. */
export function presentField(field: Field, restricted: boolean): Field {
  if (restricted) return { ...field, type: 'hidden', value: nullValue(field.value.type) };
  const value = field.value as { type: string; data: unknown };
  if (MULTI_VALUE_TYPES.has(value.type) && Array.isArray(value.data)) {
    const data = value.data;
    return {
      ...field,
      value: { ...value, data: data.slice(0, MAX_MULTI_READ), totalCount: data.length } as FieldValue,
    };
  }
  return field;
}

export interface Directory {
  option(fieldId: string, optionId: number): DropdownOption | undefined;
  person(id: number): PersonData | undefined;
  company(id: number): CompanyData | undefined;
  mergedInto(type: 'person' | 'company', id: number): number | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO_DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2})?(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * An ISO 8601 date or datetime as epoch ms, independent of the host's timezone: no zone (or a bare date) means UTC.
 */
export function parseInstant(raw: string): number | undefined {
  const m = ISO_DATETIME.exec(raw.trim());
  if (!m) return undefined;
  const [, date, hm = '00:00', sec = ':00', frac = '', zone = 'Z'] = m;
  const ms = frac ? `.${frac.slice(1, 4).padEnd(3, '0')}` : '';
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
  const t = Date.parse(`${date}T${hm}${sec}${ms}${z}`);
  return Number.isFinite(t) ? t : undefined;
}
const LOCATION_KEYS = ['streetAddress', 'city', 'state', 'country', 'continent'] as const;

/**
 * Checks a write to `field` the way Affinity does and returns the value to store. `param` prefixes error params
 * (`value` for a single-cell POST, `updates[3].value` in a batch).
 */
export function resolveUpdate(field: FieldMetadata, update: unknown, dir: Directory, param: string): FieldValue {
  if (field.type === 'enriched' || field.type === 'relationship-intelligence') {
    throw validation(param, `Field ${field.id} (${field.name}) is a ${field.type} field and cannot be updated`);
  }
  if (READ_ONLY_VALUE_TYPES.has(field.valueType)) {
    throw validation(
      param,
      `Field ${field.id} (${field.name}) has value type ${field.valueType}, which cannot be updated`,
    );
  }
  if (!isObject(update)) throw validation(param, `${param} must be an object with a type and data`);
  if (update.type !== field.valueType) {
    throw validation(
      `${param}.type`,
      `Value type '${String(update.type)}' does not match field ${field.id}'s value type '${field.valueType}'`,
    );
  }
  if (!('data' in update)) throw validation(`${param}.data`, `${param}.data is required`);
  const data = update.data;
  const type = field.valueType;
  if (data === null) return nullValue(type);
  const p = `${param}.data`;

  const list = (check: (item: unknown, i: number) => unknown, capped = true): unknown[] | null => {
    if (!Array.isArray(data)) throw validation(p, `${p} must be an array or null`);
    if (capped && data.length > MAX_MULTI_WRITE) throw validation(p, `${p} must have at most ${MAX_MULTI_WRITE} items`);
    const items = data.map((item, i) => check(item, i));
    const seen = new Set<string>();
    const unique = items.filter((x) => {
      const key = JSON.stringify(x);
      return seen.has(key) ? false : (seen.add(key), true);
    });
    return unique.length ? unique : null; // Affinity reads an empty multi value back as null
  };
  const text = (v: unknown, at: string): string => {
    if (typeof v !== 'string') throw validation(at, `${at} must be a string`);
    return v;
  };
  const num = (v: unknown, at: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw validation(at, `${at} must be a number`);
    return v;
  };
  const location = (v: unknown, at: string): Location => {
    if (!isObject(v)) throw validation(at, `${at} must be a location object`);
    const out = {} as Location;
    for (const key of LOCATION_KEYS) {
      if (!(key in v)) throw validation(`${at}.${key}`, `${at}.${key} is required`);
      const x = v[key];
      if (x !== null && typeof x !== 'string')
        throw validation(`${at}.${key}`, `${at}.${key} must be a string or null`);
      out[key] = x;
    }
    return out;
  };
  const option = (v: unknown, at: string) => {
    if (!isObject(v) || !Number.isInteger(v.dropdownOptionId))
      throw validation(at, `${at} must be {"dropdownOptionId": <integer>}`);
    const id = v.dropdownOptionId as number;
    const opt = dir.option(field.id, id);
    if (!opt) throw validation(`${at}.dropdownOptionId`, `Dropdown option ${id} does not exist on field ${field.id}`);
    if (type === 'ranked-dropdown') {
      if (opt.type === 'dropdown')
        throw validation(`${at}.dropdownOptionId`, `Dropdown option ${id} is not a ranked option`);
      return { dropdownOptionId: opt.id, text: opt.text, rank: opt.rank, color: opt.color };
    }
    return { dropdownOptionId: opt.id, text: opt.text };
  };
  const entity = (kind: 'person' | 'company', v: unknown, at: string): PersonData | CompanyData => {
    if (!isObject(v) || !Number.isInteger(v.id)) throw validation(at, `${at} must be {"id": <integer>}`);
    const id = v.id as number;
    const target = dir.mergedInto(kind, id);
    if (target !== undefined) {
      throw new ApiError(
        422,
        'unprocessable-entity',
        `The ${kind} ${id} has been merged into ${kind} ${target}; use ${target} instead`,
      );
    }
    const found = kind === 'person' ? dir.person(id) : dir.company(id);
    if (!found) throw validation(`${at}.id`, `${kind === 'person' ? 'Person' : 'Company'} ${id} not found`);
    return found;
  };

  let value: unknown;
  switch (type) {
    case 'text':
    case 'filterable-text':
      value = text(data, p);
      break;
    case 'filterable-text-multi':
      value = list((x, i) => text(x, `${p}[${i}]`));
      break;
    case 'number':
      value = num(data, p);
      break;
    case 'number-multi':
      value = list((x, i) => num(x, `${p}[${i}]`));
      break;
    case 'datetime': {
      const ms = parseInstant(text(data, p));
      if (ms === undefined) throw validation(p, `${p} must be an ISO 8601 datetime, got '${String(data)}'`);
      value = affinityDatetime(ms);
      break;
    }
    case 'location':
      value = location(data, p);
      break;
    case 'location-multi':
      value = list((x, i) => location(x, `${p}[${i}]`));
      break;
    case 'dropdown':
    case 'ranked-dropdown':
      value = option(data, p);
      break;
    case 'dropdown-multi':
      value = list((x, i) => option(x, `${p}[${i}]`), false);
      break;
    case 'person':
    case 'company':
      value = entity(type, data, p);
      break;
    case 'person-multi':
      value = list((x, i) => entity('person', x, `${p}[${i}]`));
      break;
    case 'company-multi':
      value = list((x, i) => entity('company', x, `${p}[${i}]`));
      break;
    default:
      throw validation(param, `Field ${field.id} cannot be updated`);
  }
  return { type, data: value } as FieldValue;
}

// ---- field value changes ---------------------------------------------------------------------------------------

export type ChangeAction = 'add' | 'update' | 'delete';

/** The `value` of a change record for one item of a value (`fieldValueChanges.*ValueChange`). */
function changeItem(type: string, item: unknown): unknown {
  switch (type) {
    case 'dropdown':
    case 'dropdown-multi':
    case 'ranked-dropdown':
    case 'person':
    case 'person-multi':
    case 'company':
    case 'company-multi':
      return { referenceType: 'entity', ...(item as object) };
    default:
      return item;
  }
}

const itemKey = (item: unknown): string =>
  isObject(item) && 'dropdownOptionId' in item
    ? `o${item.dropdownOptionId}`
    : isObject(item) && 'id' in item
      ? `e${item.id}`
      : JSON.stringify(item);

/**
 * The change records a write from `before` to `after` produces: single values add/update/delete; multi values one
 * add or delete per item that appeared or disappeared. Read-only types produce none (they have no change schema).
 */
export function diffChanges(before: FieldValue, after: FieldValue): { actionType: ChangeAction; value: unknown }[] {
  const type = after.type;
  if (READ_ONLY_VALUE_TYPES.has(type)) return [];
  const a = before.data as unknown;
  const b = after.data as unknown;
  if (MULTI_VALUE_TYPES.has(type)) {
    const old = Array.isArray(a) ? a : [];
    const next = Array.isArray(b) ? b : [];
    const oldKeys = new Set(old.map(itemKey));
    const nextKeys = new Set(next.map(itemKey));
    return [
      ...old
        .filter((x) => !nextKeys.has(itemKey(x)))
        .map((x) => ({ actionType: 'delete' as const, value: changeItem(type, x) })),
      ...next
        .filter((x) => !oldKeys.has(itemKey(x)))
        .map((x) => ({ actionType: 'add' as const, value: changeItem(type, x) })),
    ];
  }
  if (a === null && b === null) return [];
  if (a === null) return [{ actionType: 'add', value: changeItem(type, b) }];
  if (b === null) return [{ actionType: 'delete', value: changeItem(type, a) }];
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  return [{ actionType: 'update', value: changeItem(type, b) }];
}
