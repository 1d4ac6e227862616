/** Affinity value → canonical text (what the sheet shows, what the base snapshot stores). */

import type {
  CompanyData,
  Dropdown,
  Field,
  FieldValue,
  Interaction,
  Location,
  PersonData,
  ReminderData,
} from '../../affinity/types';
import { pacificDay, parseDayText, parseInstant } from '../dates';
import { fitMulti, fitText, htmlToText, normalizeText } from './text';
import type { Canonical, CodecContext } from './types';

/** "First Last" (missing parts skipped); no name → the primary email; neither → "#id". */
export function personText(p: PersonData): string {
  const name = [p.firstName, p.lastName]
    .map((part) => (part ?? '').trim())
    .filter((part) => part !== '')
    .join(' ');
  if (name !== '') return normalizeText(name);
  const email = (p.primaryEmailAddress ?? '').trim();
  return email !== '' ? email : `#${p.id}`;
}

/** The company's name; no name → its domain; neither → "#id". */
export function companyText(c: CompanyData): string {
  const name = normalizeText(c.name ?? '');
  if (name !== '') return name;
  const domain = (c.domain ?? '').trim();
  return domain !== '' ? domain : `#${c.id}`;
}

/** "streetAddress, city, state, country" without the null/blank parts; the continent only if nothing else. */
export function locationText(l: Location): string {
  const parts = [l.streetAddress, l.city, l.state, l.country]
    .map((part) => normalizeText(part ?? ''))
    .filter((part) => part !== '');
  if (parts.length > 0) return parts.join(', ');
  return normalizeText(l.continent ?? '');
}

export function dropdownText(d: Dropdown): string {
  return normalizeText(d.text ?? '');
}

/** Shortest round-tripping decimal (String(n)); -0 as "0"; '' for a non-finite number. */
export function numberText(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  return Object.is(n, -0) ? '0' : String(n);
}

/** Texts of the datetimes met, by what Affinity sent: its dates are midnights, so a view repeats them. */
const DATETIME_TEXTS = new Map<string, string>();
const MAX_DATETIMES_KEPT = 20_000;

/** The Pacific calendar day of an Affinity datetime; a text that is no date-time is kept as written. */
export function datetimeText(data: string): string {
  let text = DATETIME_TEXTS.get(data);
  if (text === undefined) {
    text = datetimeTextOf(data);
    if (DATETIME_TEXTS.size >= MAX_DATETIMES_KEPT) DATETIME_TEXTS.clear();
    DATETIME_TEXTS.set(data, text);
  }
  return text;
}

function datetimeTextOf(data: string): string {
  try {
    return pacificDay(data);
  } catch {
    const typed = parseDayText(data);
    return typed.ok ? typed.day : normalizeText(data);
  }
}

/** The instant an interaction happened at (email/chat sentAt, meeting/call startTime), or null. */
export function interactionInstant(i: Interaction): number | null {
  const at = i.type === 'email' || i.type === 'chat-message' ? i.sentAt : i.startTime;
  return typeof at === 'string' ? parseInstant(at) : null;
}

/** A date-only 'YYYY-MM-DD' text is a day as is; an instant is taken in the spreadsheet's zone. */
function dayOfInstantText(text: string, ctx: CodecContext): string | null {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const typed = parseDayText(trimmed);
    return typed.ok ? typed.day : null;
  }
  const ms = parseInstant(trimmed);
  return ms === null ? null : ctx.dayInSpreadsheet(ms);
}

/** "content (due YYYY-MM-DD)"; without content "(due YYYY-MM-DD)". The due day is in the spreadsheet's zone. */
export function reminderText(r: ReminderData, ctx: CodecContext): string {
  const content = normalizeText(r.content ?? '');
  const due = typeof r.dueDate === 'string' ? dayOfInstantText(r.dueDate, ctx) : null;
  if (due === null) return content;
  return content === '' ? `(due ${due})` : `${content} (due ${due})`;
}

function multi<T>(data: T[] | null | undefined, totalCount: number | undefined, text: (item: T) => string): Canonical {
  const list = Array.isArray(data) ? data : [];
  const items: string[] = [];
  for (const item of list) {
    if (item === null || item === undefined) continue;
    const s = normalizeText(text(item));
    if (s !== '') items.push(s);
  }
  const hidden = typeof totalCount === 'number' && totalCount > list.length ? totalCount - list.length : 0;
  return fitMulti(items, hidden);
}

function single(text: string): Canonical {
  return fitText(normalizeText(text));
}

const EMPTY: Canonical = { text: '', truncated: false };

/**
 * The canonical text of a value Affinity returned. `fieldKind` is the Field's `type`: 'hidden' (a
 * restricted opportunity) always gives ''. Never throws on well-typed input; unknown shapes give ''.
 */
export function canonicalOf(
  value: FieldValue | undefined | null,
  fieldKind: Field['type'],
  ctx: CodecContext,
): Canonical {
  if (fieldKind === 'hidden' || value === undefined || value === null) return EMPTY;
  if (value.data === null || value.data === undefined) return EMPTY;
  switch (value.type) {
    case 'text':
    case 'filterable-text':
      return typeof value.data === 'string' ? single(value.data) : EMPTY;
    case 'filterable-text-multi':
      return multi(value.data, value.totalCount, (s) => (typeof s === 'string' ? s : ''));
    case 'number':
      return single(numberText(value.data));
    case 'number-multi':
      return multi(value.data, value.totalCount, numberText);
    case 'formula-number':
      return single(numberText(value.data.calculatedValue));
    case 'datetime':
      return typeof value.data === 'string' ? single(datetimeText(value.data)) : EMPTY;
    case 'location':
      return single(locationText(value.data));
    case 'location-multi':
      return multi(value.data, value.totalCount, locationText);
    case 'dropdown':
    case 'ranked-dropdown':
      return single(dropdownText(value.data));
    case 'dropdown-multi':
      return multi(value.data, value.totalCount, dropdownText);
    case 'person':
      return single(personText(value.data));
    case 'person-multi':
      return multi(value.data, value.totalCount, personText);
    case 'company':
      return single(companyText(value.data));
    case 'company-multi':
      return multi(value.data, value.totalCount, companyText);
    case 'interaction': {
      const ms = interactionInstant(value.data);
      return ms === null ? EMPTY : single(ctx.dayInSpreadsheet(ms));
    }
    case 'list-multi':
      return multi(value.data, value.totalCount, (l) => l.name ?? '');
    case 'note':
      return single(htmlToText(value.data.content?.html ?? ''));
    case 'reminder':
      return single(reminderText(value.data, ctx));
    default:
      return EMPTY;
  }
}
