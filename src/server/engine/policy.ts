/**
 * The conflict setting: what a cell changed in the sheet and, differently, in Affinity does, for push and pull alike,
 * and a person's choice for one conflict made in the preview.
 */
import type { ConflictPolicy } from '../../shared/push';

export type { ConflictPolicy };
export const CONFLICT_POLICIES: readonly ConflictPolicy[] = ['flag', 'sheet-wins', 'affinity-wins'];
export const DEFAULT_CONFLICT_POLICY: ConflictPolicy = 'flag';

export function isConflictPolicy(x: unknown): x is ConflictPolicy {
  return typeof x === 'string' && (CONFLICT_POLICIES as readonly string[]).includes(x);
}

export const POLICY_LABELS: Record<ConflictPolicy, string> = {
  flag: 'Flag and skip: send nothing, mark the cell with both values',
  'sheet-wins': "Sheet wins: send the sheet's value over Affinity's",
  'affinity-wins': "Affinity wins: the cell takes Affinity's value (yours is kept in a note)",
};

/** A user's decision for one conflict, made in the preview. `remote` is Affinity's value they saw. */
export interface ConflictChoice {
  entryId: number;
  columnId: string;
  remote: string;
  choice: 'mine' | 'affinity' | 'skip';
}
