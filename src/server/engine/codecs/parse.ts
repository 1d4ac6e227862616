/** An edited cell's canonical text → the FieldValueUpdate Affinity accepts (for push). */

import { isSystemField } from '../systemFields';
import type {
  CompanyData,
  Dropdown,
  DropdownOption,
  Field,
  FieldMetadata,
  FieldValue,
  FieldValueUpdate,
  Location,
  PersonData,
  ValueType,
} from '../../affinity/types';
import { dayToAffinityWrite, parseDayText } from '../dates';
import { parseNumberText } from './numbers';
import { companyText, dropdownText, locationText, personText } from './render';
import { isMoreMarker, looksCut, MAX_MULTI_ITEMS, multiItems, normalizeText } from './text';
import { WRITABLE_VALUE_TYPES, type ParseContext, type ParseResult } from './types';

/**
 * Whether a column may be edited in the sheet and pushed: only list and global fields (not enriched,
 * relationship-intelligence or hidden ones) whose value type Affinity can write and users can create (see
 * WRITABLE_VALUE_TYPES), and never a field Affinity fills itself (engine/systemFields.ts: any id but `field-<number>`).
 */
export function isEditable(field: { id?: string; type: Field['type']; valueType: ValueType }): boolean {
  if (field.id !== undefined && isSystemField(field.id)) return false; // created-at, time-in-current-status...
  return (field.type === 'list' || field.type === 'global') && WRITABLE_VALUE_TYPES.has(field.valueType);
}

type Step<T> = { ok: true; value: T } | { ok: false; reason: string };

const fail = (reason: string): { ok: false; reason: string } => ({ ok: false, reason });

/** How names are compared: Unicode NFC, whitespace runs as one space, trimmed, lower case. */
export function matchKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

function quote(text: string): string {
  const short = text.length > 80 ? text.slice(0, 79) + '…' : text;
  return `“${short}”`;
}

function listForReason(labels: string[], max = 20): string {
  if (labels.length <= max) return labels.join(', ');
  return `${labels.slice(0, max).join(', ')} and ${labels.length - max} more`;
}

// ---------------------------------------------------------------------------------------------
// Items of the current value: an unchanged item is written back exactly as it was.

/** A pool of the current value's items, each usable once, found by canonical item text. */
class Pool<T> {
  private readonly entries: { key: string; item: T; used: boolean }[];
  constructor(items: readonly T[], text: (item: T) => string) {
    this.entries = items.map((item) => ({ key: matchKey(text(item)), item, used: false }));
  }
  take(itemText: string): T | undefined {
    const key = matchKey(itemText);
    const entry = this.entries.find((e) => !e.used && e.key === key);
    if (!entry) return undefined;
    entry.used = true;
    return entry.item;
  }
  all(): T[] {
    return this.entries.map((e) => e.item);
  }
}

function currentItems<T>(current: FieldValue | null | undefined, single: string, multi: string): T[] {
  if (!current || current.data === null || current.data === undefined) return [];
  if (current.type === single) return [current.data as T];
  if (current.type === multi && Array.isArray(current.data)) {
    return (current.data as (T | null)[]).filter((item): item is T => item !== null && item !== undefined);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// Person / company

interface EntityKind<T extends { id: number }> {
  noun: string;
  plural: string;
  label(item: T): string;
  /** Match keys of an entity: its display text and the other texts that name it (email, domain). */
  keys(item: T): string[];
  describe(item: T): string;
}

const PERSON: EntityKind<PersonData> = {
  noun: 'person',
  plural: 'people',
  label: personText,
  keys: (p) => [personText(p), p.primaryEmailAddress ?? ''].filter((k) => k.trim() !== '').map(matchKey),
  describe: (p) => {
    const email = (p.primaryEmailAddress ?? '').trim();
    const label = personText(p);
    return `${label} #${p.id}${email !== '' && email !== label ? ` (${email})` : ''}`;
  },
};

const COMPANY: EntityKind<CompanyData> = {
  noun: 'company',
  plural: 'companies',
  label: companyText,
  keys: (c) => [companyText(c), c.name ?? '', c.domain ?? ''].filter((k) => k.trim() !== '').map(matchKey),
  describe: (c) => {
    const domain = (c.domain ?? '').trim();
    const label = companyText(c);
    return `${label} #${c.id}${domain !== '' && domain !== label ? ` (${domain})` : ''}`;
  },
};

/** "Name #123" or "#123": an explicit Affinity id. */
const ID_FORM = /^(.*?)\s*#(\d{1,15})$/;

/** The known entities by match key and by id, built once per known list (lists may hold thousands). */
interface EntityIndex<T> {
  byKey: Map<string, T[]>;
  byId: Map<number, T>;
}

const indexCache = new WeakMap<object, EntityIndex<{ id: number }>>();

function indexOf<T extends { id: number }>(known: readonly T[], kind: EntityKind<T>): EntityIndex<T> {
  const cached = indexCache.get(known) as EntityIndex<T> | undefined;
  if (cached) return cached;
  const index: EntityIndex<T> = { byKey: new Map(), byId: new Map() };
  for (const item of known) {
    if (!item || typeof item.id !== 'number' || index.byId.has(item.id)) continue;
    index.byId.set(item.id, item);
    for (const key of new Set(kind.keys(item))) {
      const list = index.byKey.get(key);
      if (list) list.push(item);
      else index.byKey.set(key, [item]);
    }
  }
  indexCache.set(known, index);
  return index;
}

function resolveEntity<T extends { id: number }>(
  text: string,
  kind: EntityKind<T>,
  known: readonly T[],
  pool: Pool<T>,
): Step<number> {
  const fromCurrent = pool.take(text);
  if (fromCurrent) return { ok: true, value: fromCurrent.id };

  const index = indexOf(known, kind);
  const key = matchKey(text);
  const matches: T[] = [];
  const seen = new Set<number>();
  for (const item of [...pool.all().filter((c) => kind.keys(c).includes(key)), ...(index.byKey.get(key) ?? [])]) {
    if (!seen.has(item.id)) {
      seen.add(item.id);
      matches.push(item);
    }
  }
  if (matches.length === 1) return { ok: true, value: matches[0].id };
  if (matches.length > 1) {
    const first = matches[0];
    return fail(
      `${quote(text)} matches ${matches.length} ${kind.plural}: ${listForReason(matches.map(kind.describe), 10)}. ` +
        `Add the id of the one you mean, e.g. “${kind.label(first)} #${first.id}”.`,
    );
  }

  const idForm = ID_FORM.exec(text);
  if (idForm) {
    const id = Number(idForm[2]);
    const name = idForm[1].trim();
    const entity = pool.all().find((c) => c.id === id) ?? index.byId.get(id);
    if (entity && name !== '' && !kind.keys(entity).includes(matchKey(name))) {
      return fail(`#${id} is ${kind.label(entity)}, not ${quote(name)}. Fix the name or the id.`);
    }
    if (Number.isSafeInteger(id) && id > 0) return { ok: true, value: id };
  }
  return fail(
    `No ${kind.noun} called ${quote(text)} is known to this sheet. Type the name as Affinity shows it, ` +
      `or the Affinity id as “#123”.`,
  );
}

// ---------------------------------------------------------------------------------------------
// Dropdowns

interface Option {
  id: number;
  text: string;
}

function resolveOption(
  text: string,
  field: FieldMetadata,
  options: readonly Option[],
  pool: Pool<Option>,
): Step<number> {
  const fromCurrent = pool.take(text);
  if (fromCurrent) return { ok: true, value: fromCurrent.id };
  const wanted = normalizeText(text);
  const exact = dedupe(options.filter((o) => normalizeText(o.text) === wanted));
  if (exact.length === 1) return { ok: true, value: exact[0].id };
  const key = matchKey(text);
  const loose = exact.length > 1 ? exact : dedupe(options.filter((o) => matchKey(o.text) === key));
  if (loose.length === 1) return { ok: true, value: loose[0].id };
  if (loose.length > 1) {
    return fail(`${quote(text)} matches ${loose.length} options of ${field.name}; rename one of them in Affinity.`);
  }
  if (options.length === 0) {
    return fail(
      `${quote(text)} is not an option of ${field.name}, which has no options yet. Add it in Affinity first.`,
    );
  }
  return fail(
    `${quote(text)} is not an option of ${field.name}. Choose one of: ${listForReason(options.map((o) => o.text))}.`,
  );
}

function dedupe(options: Option[]): Option[] {
  const seen = new Set<number>();
  return options.filter((o) => (seen.has(o.id) ? false : (seen.add(o.id), true)));
}

// ---------------------------------------------------------------------------------------------
// Locations

/**
 * A location from "street, city, state, country", split on commas, empty parts allowed to hold a place:
 * 1 part → city; 2 → city, country; 3 → city, state, country; 4 or more → the last three are city, state,
 * country and the rest (commas kept) is the street. The continent is not written.
 * Examples: "Paris, France"; "Austin, Texas, United States"; "Austin, Texas," (no country);
 * ", , , France" (country only); "1 Main St, Suite 5, Springfield, IL, USA".
 */
export function parseLocationText(text: string): Location | null {
  const parts = normalizeText(text)
    .split(',')
    .map((p) => p.trim());
  const value = (p: string | undefined): string | null => (p === undefined || p === '' ? null : p);
  let loc: Location;
  const n = parts.length;
  if (n === 1) loc = { streetAddress: null, city: value(parts[0]), state: null, country: null, continent: null };
  else if (n === 2)
    loc = { streetAddress: null, city: value(parts[0]), state: null, country: value(parts[1]), continent: null };
  else if (n === 3) {
    loc = {
      streetAddress: null,
      city: value(parts[0]),
      state: value(parts[1]),
      country: value(parts[2]),
      continent: null,
    };
  } else {
    const street = parts
      .slice(0, n - 3)
      .filter((p) => p !== '')
      .join(', ');
    loc = {
      streetAddress: value(street),
      city: value(parts[n - 3]),
      state: value(parts[n - 2]),
      country: value(parts[n - 1]),
      continent: null,
    };
  }
  return loc.streetAddress || loc.city || loc.state || loc.country ? loc : null;
}

function resolveLocation(text: string, pool: Pool<Location>): Step<Location> {
  const fromCurrent = pool.take(text);
  if (fromCurrent) return { ok: true, value: fromCurrent };
  const loc = parseLocationText(text);
  return loc ? { ok: true, value: loc } : fail(`${quote(text)} is not a location. Type “city, state, country”.`);
}

// ---------------------------------------------------------------------------------------------

function parseMulti<T>(text: string, parseItem: (item: string) => Step<T>): Step<T[]> {
  const items = multiItems(text);
  if (items.some(isMoreMarker)) {
    return fail('This cell shows only some of the values; change it in Affinity.');
  }
  if (items.length > MAX_MULTI_ITEMS) {
    return fail(`Affinity takes at most ${MAX_MULTI_ITEMS} values here; this cell has ${items.length}.`);
  }
  const values: T[] = [];
  const problems: string[] = [];
  for (const item of items) {
    const r = parseItem(item);
    if (r.ok) values.push(r.value);
    else problems.push(r.reason);
  }
  if (problems.length > 0) return fail(problems.join(' '));
  return { ok: true, value: values };
}

function uniqueIds(ids: number[]): number[] {
  return ids.filter((id, i) => ids.indexOf(id) === i);
}

function dayReason(text: string): string {
  const d = parseDayText(text);
  if (!d.ok && d.problem === 'ambiguous') {
    return `${quote(text)} could be ${d.candidates.join(' or ')}. Type the date as YYYY-MM-DD, e.g. ${d.candidates[0]}.`;
  }
  return `${quote(text)} is not a date. Type the date as YYYY-MM-DD, e.g. 2024-04-01.`;
}

function optionsOf(field: FieldMetadata, ctx: ParseContext): Option[] {
  const list: DropdownOption[] = ctx.dropdownOptions(field.id) ?? [];
  return list.map((o) => ({ id: o.id, text: o.text }));
}

function withPool<T>(items: T[], text: (item: T) => string): Pool<T> {
  return new Pool(items, text);
}

function optionPool(current: FieldValue | null | undefined): Pool<Option> {
  const items =
    current?.type === 'ranked-dropdown'
      ? currentItems<Dropdown>(current, 'ranked-dropdown', 'ranked-dropdown')
      : currentItems<Dropdown>(current, 'dropdown', 'dropdown-multi');
  return withPool(
    items.map((d) => ({ id: d.dropdownOptionId, text: d.text })),
    (o) => dropdownText({ dropdownOptionId: o.id, text: o.text }),
  );
}

/**
 * Turns an edited cell's canonical text into the value to write. '' clears the field ({type, data: null}).
 * `current`, when given, is the field's value in Affinity now: an item whose text is unchanged keeps its exact
 * value (same person/company/option id, same location parts), which settles ambiguous names and locations
 * that don't fit the "street, city, state, country" reading. Never throws on any string.
 */
/** What getValues returns for a formula that failed: never data to send. */
const SHEETS_ERRORS = new Set([
  '#NULL!',
  '#DIV/0!',
  '#VALUE!',
  '#REF!',
  '#NAME?',
  '#NUM!',
  '#N/A',
  '#ERROR!',
  '#SPILL!',
  '#CALC!',
]);

export function parseEdit(
  text: string,
  field: FieldMetadata,
  ctx: ParseContext,
  current?: FieldValue | null,
): ParseResult {
  try {
    return parseEditUnsafe(text, field, ctx, current);
  } catch (e) {
    return fail(`This value couldn't be read (${e instanceof Error ? e.message : String(e)}).`);
  }
}

function parseEditUnsafe(
  rawText: string,
  field: FieldMetadata,
  ctx: ParseContext,
  current: FieldValue | null | undefined,
): ParseResult {
  const valueType = field.valueType;
  if (!isEditable(field)) return fail(`${field.name} can't be changed from the sheet; change it in Affinity.`);
  const text = normalizeText(typeof rawText === 'string' ? rawText : String(rawText));
  if (text === '') return { ok: true, value: { type: valueType, data: null } as FieldValueUpdate };
  if (looksCut(text)) return fail('This cell was cut to fit the sheet; change it in Affinity.');
  if (SHEETS_ERRORS.has(text)) {
    return fail(
      `The cell shows a formula error (${text}), not a value. Fix the formula, or type the value itself (start with ' to type text that begins with =).`,
    );
  }

  switch (valueType) {
    case 'text':
      return { ok: true, value: { type: 'text', data: text } };

    case 'number': {
      const n = parseNumberText(text);
      return n.ok ? { ok: true, value: { type: 'number', data: n.value } } : n;
    }
    case 'number-multi': {
      const r = parseMulti(text, parseNumberText);
      return r.ok ? { ok: true, value: { type: 'number-multi', data: r.value } } : r;
    }

    case 'datetime': {
      const d = parseDayText(text);
      return d.ok ? { ok: true, value: { type: 'datetime', data: dayToAffinityWrite(d.day) } } : fail(dayReason(text));
    }

    case 'dropdown':
    case 'ranked-dropdown': {
      const r = resolveOption(text, field, optionsOf(field, ctx), optionPool(current));
      return r.ok ? { ok: true, value: { type: valueType, data: { dropdownOptionId: r.value } } } : r;
    }
    case 'dropdown-multi': {
      const options = optionsOf(field, ctx);
      const pool = optionPool(current);
      const r = parseMulti(text, (item) => resolveOption(item, field, options, pool));
      return r.ok
        ? {
            ok: true,
            value: { type: 'dropdown-multi', data: uniqueIds(r.value).map((id) => ({ dropdownOptionId: id })) },
          }
        : r;
    }

    case 'person':
    case 'person-multi': {
      const pool = withPool(currentItems<PersonData>(current, 'person', 'person-multi'), personText);
      const known = ctx.knownPersons ?? [];
      if (valueType === 'person') {
        const r = resolveEntity(text, PERSON, known, pool);
        return r.ok ? { ok: true, value: { type: 'person', data: { id: r.value } } } : r;
      }
      const r = parseMulti(text, (item) => resolveEntity(item, PERSON, known, pool));
      return r.ok ? { ok: true, value: { type: 'person-multi', data: uniqueIds(r.value).map((id) => ({ id })) } } : r;
    }

    case 'company':
    case 'company-multi': {
      const pool = withPool(currentItems<CompanyData>(current, 'company', 'company-multi'), companyText);
      const known = ctx.knownCompanies ?? [];
      if (valueType === 'company') {
        const r = resolveEntity(text, COMPANY, known, pool);
        return r.ok ? { ok: true, value: { type: 'company', data: { id: r.value } } } : r;
      }
      const r = parseMulti(text, (item) => resolveEntity(item, COMPANY, known, pool));
      return r.ok ? { ok: true, value: { type: 'company-multi', data: uniqueIds(r.value).map((id) => ({ id })) } } : r;
    }

    case 'location': {
      const r = resolveLocation(
        text,
        withPool(currentItems<Location>(current, 'location', 'location-multi'), locationText),
      );
      return r.ok ? { ok: true, value: { type: 'location', data: r.value } } : r;
    }
    case 'location-multi': {
      const pool = withPool(currentItems<Location>(current, 'location', 'location-multi'), locationText);
      const r = parseMulti(text, (item) => resolveLocation(item, pool));
      return r.ok ? { ok: true, value: { type: 'location-multi', data: r.value } } : r;
    }

    default:
      return fail(`${field.name} can't be changed from the sheet; change it in Affinity.`);
  }
}
