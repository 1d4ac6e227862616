/**
 * Bindings tie a tab (by sheet id, so renaming the tab keeps it) to a list's saved view. They belong to the
 * spreadsheet, so they live in document properties.
 */
import type { BindingInfo, RunOutcome } from '../../shared/types';
import type { KeyValueStore } from '../ports';
import { readChunked, writeChunked } from './propertyChunks';

const KEY = 'affinity.bindings';

export type Binding = Omit<BindingInfo, 'tabName'>;

/** Every binding; stored in pieces when they pass one property's 9 KB (about 30 tabs, fewer with long names). */
export function loadBindings(doc: KeyValueStore): Binding[] {
  const raw = readChunked(doc, KEY);
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as Binding[];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}

export function saveBindings(doc: KeyValueStore, bindings: Binding[]): void {
  writeChunked(doc, KEY, JSON.stringify(bindings));
}

export function findBinding(doc: KeyValueStore, sheetId: number): Binding | undefined {
  return loadBindings(doc).find((b) => b.sheetId === sheetId);
}

export function upsertBinding(doc: KeyValueStore, binding: Binding): void {
  const all = loadBindings(doc).filter((b) => b.sheetId !== binding.sheetId);
  all.push(binding);
  saveBindings(doc, all);
}

export function removeBinding(doc: KeyValueStore, sheetId: number): boolean {
  const all = loadBindings(doc);
  const rest = all.filter((b) => b.sheetId !== sheetId);
  saveBindings(doc, rest);
  return rest.length !== all.length;
}

export function recordOutcome(
  doc: KeyValueStore,
  sheetId: number,
  kind: 'lastPull' | 'lastPush',
  outcome: RunOutcome,
  rows?: number,
): void {
  const all = loadBindings(doc);
  const b = all.find((x) => x.sheetId === sheetId);
  if (!b) return;
  b[kind] = outcome;
  if (rows !== undefined) b.rows = rows;
  saveBindings(doc, all);
}
