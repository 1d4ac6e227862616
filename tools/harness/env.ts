/**
 * What service implementations see of the execution they run in. Two implementations: the
 * execution runtime (counts calls, charges virtual time, builds values in the script's realm) and
 * the host view behind `harness.spreadsheet` etc. (no counting, plain host values).
 */
import type { ExecutionKind } from './metrics';
import type { HarnessState } from './state';

export type AuthModeName = 'NONE' | 'LIMITED' | 'FULL' | 'CUSTOM_FUNCTION';

export interface Env {
  readonly state: HarnessState;
  /** True for the uncounted host view used by tests. */
  readonly host: boolean;
  readonly authMode: AuthModeName;
  readonly kind: ExecutionKind | 'host';
  /** Event type of the trigger that started this execution ('CLOCK', 'ON_EDIT', ...), if any. */
  readonly triggerEventType: string | null;
  /** Id of the execution (locks are held per execution); -1 for the host view. */
  readonly executionId: number;
  /** Email of the user the code runs as. */
  user(): string;
  /** Virtual epoch ms now. */
  now(): number;
  /** Add virtual time; throws (killing the execution) when the limit is passed. */
  charge(ms: number): void;
  /**
   * Count and charge cells read (and a flush if writes are pending). 'values' for values, display
   * values and formulas; 'attributes' for notes, formats, validations.
   */
  read(cells: number, what?: 'values' | 'attributes'): void;
  /** Count and charge cells written (same split as `read`). */
  write(cells: number, what?: 'values' | 'attributes'): void;
  /** Charge a structural spreadsheet change. */
  structure(): void;
  /** Count HTTP requests sent. */
  fetched(requests: number, batch: boolean): void;
  newArray(n: number): unknown[];
  array<T>(items: readonly T[]): T[];
  object(): Record<string, unknown>;
  date(ms: number): Date;
  /** Deep copy of plain data (arrays, plain objects, dates) into the script's realm. */
  toRealm(v: unknown): unknown;
  /** Script-facing object for a service object (identity on the host). */
  wrap(v: unknown): unknown;
  /** Service object behind a script-facing object (identity otherwise). */
  unwrap(v: unknown): unknown;
  /** An enum member as the script sees it (host: its name). */
  enumValue(enumName: string, member: string): unknown;
  /** Run a function of the script's realm with the harness's bookkeeping (templates). */
  evalInRealm?(code: string): unknown;
}
