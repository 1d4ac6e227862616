/**
 * Settings that were the whole spreadsheet's before they became each person's own (issue 8, docs/sharing.md): the
 * conflict setting (document property `affinity.conflictPolicy`) and "push pending edits first" (in the schedule's
 * settings). Who chose them is unknown, so nobody inherits them: that would give one person's choice to another's
 * identity. Everyone starts at the safe default (flag and skip; push first off), the old document values are removed,
 * and each person is told once, in the panel, what the whole spreadsheet had.
 */
import { DEFAULT_CONFLICT_POLICY, POLICY_LABELS, isConflictPolicy, type ConflictPolicy } from '../engine/policy';
import type { KeyValueStore } from '../ports';
import { readJson } from './json';
import { takeRetiredPushFirst } from './schedule';

/** Where the conflict setting was kept for everyone (a document property). */
const SHARED_POLICY_KEY = 'affinity.conflictPolicy';
/** What the spreadsheet had, when it was not the default (document property). */
const RETIRED_KEY = 'affinity.retiredShared';
/** The notices this person has seen (user property). */
const SEEN_KEY = 'affinity.retiredSeen';

export type RetiredSetting = 'policy' | 'pushFirst';

interface Retired {
  policy?: ConflictPolicy;
  pushFirst?: true;
}

/** Moves the old spreadsheet-wide values out of the way (once; later calls cost two property reads). */
export function retireSharedSettings(doc: KeyValueStore): void {
  const policy = doc.get(SHARED_POLICY_KEY);
  const pushFirst = takeRetiredPushFirst(doc);
  if (policy === null && pushFirst === null) return;
  const retired = readJson<Retired>(doc, RETIRED_KEY) ?? {};
  if (isConflictPolicy(policy) && policy !== DEFAULT_CONFLICT_POLICY) retired.policy = policy;
  if (pushFirst) retired.pushFirst = true;
  if (Object.keys(retired).length > 0) doc.set(RETIRED_KEY, JSON.stringify(retired));
  if (policy !== null) doc.delete(SHARED_POLICY_KEY);
}

function noticeText(which: RetiredSetting, retired: Retired): string | null {
  if (which === 'policy' && retired.policy)
    return (
      `The conflict setting is now yours alone: it decides what is sent under your key. It was “${POLICY_LABELS[retired.policy]}” ` +
      `for the whole spreadsheet; yours starts at “${POLICY_LABELS[DEFAULT_CONFLICT_POLICY]}”. Choose again below if you want.`
    );
  if (which === 'pushFirst' && retired.pushFirst)
    return (
      '“Push pending edits before each scheduled pull” is now yours alone: it applies when the schedule runs as you, ' +
      'and then pushes only your edits. It was on for the whole spreadsheet; yours starts off. Turn it on below if you want.'
    );
  return null;
}

/** What this person is told about a setting that became theirs: once (the first time it is asked for), else null. */
export function retiredNotice(doc: KeyValueStore, user: KeyValueStore, which: RetiredSetting): string | null {
  const retired = readJson<Retired>(doc, RETIRED_KEY);
  if (!retired) return null;
  const text = noticeText(which, retired);
  if (!text) return null;
  const seen = (user.get(SEEN_KEY) ?? '').split(',').filter(Boolean);
  if (seen.includes(which)) return null;
  user.set(SEEN_KEY, [...seen, which].join(','));
  return text;
}
