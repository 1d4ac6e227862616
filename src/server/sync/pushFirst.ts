/**
 * "Push pending edits first" (docs/sharing.md): each person's own setting, in their user properties, because it decides
 * what is sent under their key. The schedule's trigger runs as its owner, so a scheduled run reads the owner's own
 * choice; another editor who changes theirs changes only what runs as them (their Run sync now, and the schedule once
 * they take it over).
 */
import type { KeyValueStore } from '../ports';

const KEY = 'affinity.pushFirst';

export function loadPushFirst(user: KeyValueStore): boolean {
  return user.get(KEY) === 'on';
}

export function savePushFirst(user: KeyValueStore, on: boolean): void {
  if (on) user.set(KEY, 'on');
  else user.delete(KEY);
}
