/**
 * Push, new rows: a row of a bound tab with an entity in the name column and no Entry ID is a new entry of the list
 * (anywhere in the tab, also after a sort). This module finds those rows, says how each one names its entity (an
 * Affinity id or URL, a domain or URL, an email address, or an exact name), and picks the entity from search results
 * without guessing: one match is used; none or several become a note listing up to five candidates. Pure
 * (docs/push.md, "New rows").
 */
import type { CompanyEntity, ListType, PersonEntity } from '../../affinity/types';
import { KEY_COLUMN, NAME_COLUMN, NOTE_MARK, entryIdOf, type SheetCell } from '../layout';
import type { TabState } from '../tabState';

/** How a new row names its entity. */
export type EntityRef =
  | { kind: 'id'; id: number }
  | { kind: 'domain'; domain: string }
  | { kind: 'email'; email: string }
  | { kind: 'name'; name: string };

export interface NewRow {
  /** 0-based data row. */
  row: number;
  /** The name cell as typed. */
  typed: string;
  ref: EntityRef;
}

/** Header texts of a column of the user's own that holds a company's domain (matched case-insensitively). */
const DOMAIN_HEADERS = new Set(['domain', 'website', 'url', 'web site', 'company domain']);

function isBlank(cell: SheetCell | undefined): boolean {
  return cell === '' || cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}

/** A host name from a domain or URL text (`https://www.LedgerLeaf.io/about` → `ledgerleaf.io`), or null. */
export function domainOf(text: string): string | null {
  const t = text.trim().toLowerCase();
  if (/\s/.test(t) || t.includes('@')) return null;
  const host = t
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/^www\./, '')
    .split(/[/?#:]/)[0];
  return /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$/.test(host) ? host : null;
}

const AFFINITY_URL = /affinity\.(?:co|com)\/(?:companies|persons|people|organizations|opportunities)\/(\d+)/i;

/** How a name cell (and, for companies, a Domain column) names the entity. */
export function entityRefOf(typed: string, listType: ListType, domainCell?: string): EntityRef {
  const t = typed.trim();
  const url = AFFINITY_URL.exec(t);
  if (url) return { kind: 'id', id: Number(url[1]) };
  const hash = /^#?(\d+)$/.exec(t);
  if (hash) return { kind: 'id', id: Number(hash[1]) };
  if (listType === 'person') {
    const email = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.exec(t) ?? /<([^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)>/.exec(t);
    if (email) return { kind: 'email', email: (email[1] ?? email[0]).toLowerCase() };
    return { kind: 'name', name: t };
  }
  const domain = domainOf(t) ?? (domainCell ? domainOf(domainCell) : null);
  if (domain) return { kind: 'domain', domain };
  return { kind: 'name', name: t };
}

/**
 * The new rows of a tab: a name typed, no Entry ID (a key cell that holds anything else is left to the edit scan,
 * which reports it). Rows are found by content, not position, so rows added between others or after a sort count.
 */
export function findNewRows(tab: TabState, listType: ListType): NewRow[] {
  const keyCol = tab.columnOf.get(KEY_COLUMN);
  const nameCol = tab.columnOf.get(NAME_COLUMN);
  if (keyCol === undefined || nameCol === undefined) return [];
  const domainCol =
    listType === 'company'
      ? (tab.headers ?? []).findIndex(
          (h, c) => DOMAIN_HEADERS.has(h.trim().toLowerCase()) && ![...tab.columnOf.values()].includes(c),
        )
      : -1;
  const out: NewRow[] = [];
  tab.values.forEach((line, r) => {
    if (!isBlank(line[keyCol]) || entryIdOf(line[keyCol]) !== null) return;
    const name = line[nameCol];
    if (isBlank(name)) return;
    const typed = String(name).trim();
    const domainCell = domainCol >= 0 && !isBlank(line[domainCol]) ? String(line[domainCol]) : undefined;
    out.push({ row: r, typed, ref: entityRefOf(typed, listType, domainCell) });
  });
  return out;
}

export type Entity = CompanyEntity | PersonEntity;

export function entityNameOf(e: Entity): string {
  if ('firstName' in e) return [e.firstName, e.lastName].filter(Boolean).join(' ');
  return e.name;
}

/** What the search term for a reference is (null for an id: no search needed). */
export function searchTermOf(ref: EntityRef): string | null {
  switch (ref.kind) {
    case 'id':
      return null;
    case 'domain':
      return ref.domain;
    case 'email':
      return ref.email;
    case 'name':
      return ref.name;
  }
}

/** The entities a search answer holds that the reference names exactly (search matches on parts of words). */
export function exactMatches(ref: EntityRef, found: readonly Entity[]): Entity[] {
  const norm = (s: string | null | undefined) => (s ?? '').trim().toLowerCase();
  return found.filter((e) => {
    switch (ref.kind) {
      case 'id':
        return e.id === ref.id;
      case 'domain': {
        if ('firstName' in e) return false;
        return [...(e.domains ?? []), ...(e.domain ? [e.domain] : [])].some((d) => domainOf(d) === ref.domain);
      }
      case 'email': {
        if (!('firstName' in e)) return false;
        return [...(e.emailAddresses ?? []), ...(e.primaryEmailAddress ? [e.primaryEmailAddress] : [])].some(
          (m) => norm(m) === ref.email,
        );
      }
      case 'name':
        return norm(entityNameOf(e)) === norm(ref.name);
    }
  });
}

const MAX_CANDIDATES = 5;

function describe(e: Entity): string {
  const extra = 'firstName' in e ? (e.primaryEmailAddress ?? e.emailAddresses?.[0]) : (e.domain ?? e.domains?.[0]);
  return `${entityNameOf(e)}${extra ? ` (${extra})` : ''}, id ${e.id}`;
}

export type Resolution = { ok: true; entity: Entity } | { ok: false; note: string };

/**
 * One exact match: that entity. None or several: a note in words, listing up to five candidates from the search,
 * and how to pick one (type its Affinity id or URL in the name cell).
 */
export function resolveEntity(ref: EntityRef, found: readonly Entity[], listName: string): Resolution {
  const exact = exactMatches(ref, found);
  if (exact.length === 1) return { ok: true, entity: exact[0] };
  const what =
    ref.kind === 'domain' ? 'domain' : ref.kind === 'email' ? 'email address' : ref.kind === 'id' ? 'id' : 'name';
  const pool = exact.length > 1 ? exact : found;
  const list = pool
    .slice(0, MAX_CANDIDATES)
    .map((e) => `• ${describe(e)}`)
    .join('\n');
  const more = pool.length > MAX_CANDIDATES ? `\n…and ${pool.length - MAX_CANDIDATES} more.` : '';
  const head =
    exact.length > 1
      ? `not added to “${listName}”: ${exact.length} Affinity records have this ${what}. Type the Affinity id (or paste the record's URL) of the one you mean in this cell:`
      : ref.kind === 'id'
        ? `not added to “${listName}”: Affinity has no record with id ${ref.id} of this list's kind.`
        : `not added to “${listName}”: no Affinity record has exactly this ${what}.` +
          (pool.length > 0
            ? ' Close matches (type the Affinity id of the one you mean in this cell):'
            : ' Check the spelling, or create the record in Affinity first.');
  return { ok: false, note: `${NOTE_MARK}this row is new and was ${head}${list ? `\n${list}` : ''}${more}` };
}

/** The id of Affinity's `Lists` field (global, `list-multi`): the lists an entity is on. */
export const LISTS_FIELD = 'lists';

/**
 * What an entity read with `fieldIds=lists` says of its membership of a list: on it (true), not on it (false), or
 * unknown (null: the answer has no `Lists` field, or holds fewer lists than the entity is on).
 */
export function listedOn(entity: Entity, listId: number): boolean | null {
  const field = entity.fields?.find((f) => f.id === LISTS_FIELD);
  if (!field || field.value?.type !== 'list-multi') return null;
  const lists = field.value.data ?? [];
  if (lists.some((l) => l.id === listId)) return true;
  const total = field.value.totalCount ?? lists.length;
  return total > lists.length || lists.length >= 100 ? null : false;
}
