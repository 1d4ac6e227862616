/**
 * Turns scattered cell changes into a few rectangular block writes, so that the number of Sheets calls depends on
 * how the changes are spread, not on how many rows the tab has: changes in one column close together (gap at most
 * `gap` rows) share one run, adjacent columns with identical runs share one block, and past `maxBlocks` each
 * column is written as a single span.
 */
import type { SheetCell } from './layout';

export interface Block<T = SheetCell> {
  /** 0-based row and column in the grid the changes refer to. */
  row: number;
  col: number;
  values: T[][];
}

/** col → (row → new value). */
export type Changes<T = SheetCell> = Map<number, Map<number, T>>;

interface Run {
  start: number;
  end: number; // inclusive
}

function runsOf(rows: number[], gap: number): Run[] {
  const sorted = rows.slice().sort((a, b) => a - b);
  const runs: Run[] = [];
  for (const r of sorted) {
    const last = runs[runs.length - 1];
    if (last && r - last.end <= gap) last.end = r;
    else runs.push({ start: r, end: r });
  }
  return runs;
}

function sameRuns(a: Run[], b: Run[]): boolean {
  return a.length === b.length && a.every((r, i) => r.start === b[i].start && r.end === b[i].end);
}

/**
 * @param fill value of a cell inside a run that did not change (the cell's current content, re-encoded)
 */
export function blocksFromChanges<T>(
  changes: Changes<T>,
  fill: (row: number, col: number) => T,
  opts: { gap?: number; maxBlocks?: number } = {},
): Block<T>[] {
  const gap = opts.gap ?? 16;
  const maxBlocks = opts.maxBlocks ?? 80;
  const cols = [...changes.keys()].filter((c) => changes.get(c)!.size > 0).sort((a, b) => a - b);
  let perCol = cols.map((c) => ({ col: c, runs: runsOf([...changes.get(c)!.keys()], gap) }));
  let groups = groupsOf(perCol);
  if (groups.reduce((n, [i]) => n + perCol[i].runs.length, 0) > maxBlocks) {
    perCol = perCol.map(({ col, runs }) => ({ col, runs: [{ start: runs[0].start, end: runs[runs.length - 1].end }] }));
    groups = groupsOf(perCol);
  }
  const blocks: Block<T>[] = [];
  for (const [i, j] of groups) {
    for (const run of perCol[i].runs) {
      const values: T[][] = [];
      for (let r = run.start; r <= run.end; r++) {
        const line: T[] = [];
        for (let k = i; k <= j; k++) {
          const col = perCol[k].col;
          const changed = changes.get(col)!;
          line.push(changed.has(r) ? changed.get(r)! : fill(r, col));
        }
        values.push(line);
      }
      blocks.push({ row: run.start, col: perCol[i].col, values });
    }
  }
  return blocks;
}

/** Adjacent columns whose runs are identical, as [first, last] index pairs: each pair writes one block per run. */
function groupsOf(perCol: { col: number; runs: Run[] }[]): [number, number][] {
  const groups: [number, number][] = [];
  let i = 0;
  while (i < perCol.length) {
    let j = i;
    while (
      j + 1 < perCol.length &&
      perCol[j + 1].col === perCol[j].col + 1 &&
      sameRuns(perCol[j + 1].runs, perCol[i].runs)
    )
      j++;
    groups.push([i, j]);
    i = j + 1;
  }
  return groups;
}

export function cellsIn(blocks: Block<unknown>[]): number {
  return blocks.reduce((n, b) => n + b.values.length * (b.values[0]?.length ?? 0), 0);
}
