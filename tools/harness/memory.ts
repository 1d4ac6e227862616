/**
 * Heap measurement and the memory ceiling (docs/harness.md, "Memory"). An execution's figure is the largest growth
 * of V8's used heap over its size at the start, sampled at every service call and at the end. With a ceiling, a
 * sample over it ends the execution the way Apps Script ends one that runs out of memory.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import * as vm from 'node:vm';

export const DEFAULT_MEMORY_LIMIT_MB = 256;

/** Apps Script's message for an execution that ran out of memory, then the harness's figure. */
export const EXCEEDED_MEMORY = 'Exceeded memory limit.';

export function memoryMessage(peakBytes: number, limitBytes: number): string {
  return `${EXCEEDED_MEMORY} Peak heap growth ${mb(peakBytes)} MB passed the ${mb(limitBytes)} MB ceiling.`;
}

export function mb(bytes: number): number {
  return Math.round((bytes / 1048576) * 10) / 10;
}

export function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

let gcFn: (() => void) | null | undefined;

/** A full, synchronous GC: `global.gc` when node runs with --expose-gc, else exposed at run time. */
export function forceGc(): boolean {
  if (gcFn === undefined) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      try {
        setFlagsFromString('--expose-gc');
        gcFn = vm.runInNewContext('gc') as () => void;
      } catch {
        gcFn = null;
      }
    }
  }
  if (!gcFn) return false;
  gcFn();
  return true;
}

/**
 * The ceiling a harness enforces: its option (true = 256 MB, a number of MB, false = none), else the environment
 * variable HARNESS_MEMORY_LIMIT_MB (a number, or "on"/"off"), else none.
 */
export function resolveMemoryLimit(
  option: number | boolean | undefined,
  env = process.env.HARNESS_MEMORY_LIMIT_MB,
): number | null {
  let v: number | boolean | undefined = option;
  if (v === undefined && env !== undefined && env.trim() !== '') {
    const e = env.trim().toLowerCase();
    v = e === 'on' || e === 'true' ? true : e === 'off' || e === 'false' ? false : Number(e);
  }
  if (v === undefined || v === false) return null;
  const megabytes = v === true ? DEFAULT_MEMORY_LIMIT_MB : v;
  if (!(megabytes > 0)) throw new Error(`Invalid memory limit: ${String(option ?? env)}`);
  return megabytes * 1048576;
}

/**
 * Full collections until the heap stops shrinking (at most 6): one is not always enough. Objects kept by native
 * handles that one collection released go only in a later one; in a test worker that had just run browser tests,
 * the third collection still freed 27 MB, which an execution's baseline would otherwise count, and a later collection
 * during the execution then hid that much of its growth. False when collections are not available.
 */
export function settleHeap(): boolean {
  if (!forceGc()) return false;
  let last = usedHeap();
  let still = 0;
  for (let i = 0; i < 5 && still < 2; i++) {
    forceGc();
    const now = usedHeap();
    still = last - now < 1048576 ? still + 1 : 0;
    last = now;
  }
  return true;
}
