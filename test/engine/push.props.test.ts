/**
 * Property: over random base, local and remote tables and random conflict policies, push then pull leaves every local
 * edit in Affinity, still pending in the sheet, or flagged; never overwrites a change made in Affinity unless the
 * policy is "sheet wins"; sends nothing for cells the user did not change; and a second push sends only what failed.
 */
import fc from 'fast-check';
import type { SheetCell } from '../../src/server/engine/layout';
import { KEY_COLUMN, NOTE_MARK, keyColumnSpec } from '../../src/server/engine/layout';
import { planPull } from '../../src/server/engine/pull';
import { buildRemoteView } from '../support/remoteView';
import { CONFLICT_POLICIES, type ConflictPolicy } from '../../src/server/engine/policy';
import { planPush } from '../../src/server/engine/push/plan';
import { findEdits } from '../../src/server/engine/push/scan';
import { settlePush } from '../../src/server/engine/push/settle';
import {
  COLUMN_IDS,
  FIELDS,
  LIST_ID,
  TAB_COLUMNS,
  WIDTH,
  applyBlocks,
  applyUpdate,
  codec,
  columns,
  ctx,
  entryOf,
  parseCtx,
  remoteStateOf,
  sheetOf,
  snapshotOf,
  stored,
  tabState,
  textsOf,
  type Row,
} from './pushModel';

const T = [null, 'a', 'b', 'c'];
const N = [null, 1, 2, 3.5];
const D = [null, 31, 32, 33];
const RO = [null, 'r1', 'r2'];
/** What a user may type per column (valid and invalid values, clears). */
const TYPED: Record<string, SheetCell[]> = {
  '@name': ['Renamed'],
  'field-1': ['a', 'b', 'z', ''],
  'field-2': ['1', 2, 'lots', '', '3.5'],
  'field-3': ['Seed', 'series a', 'Nope', ''],
  'affinity-data-description': ['edited'],
};

const rowArb = fc.record({
  t: fc.constantFrom(...T),
  n: fc.constantFrom(...N),
  d: fc.constantFrom(...D),
  ro: fc.constantFrom(...RO),
});
const changeArb = fc.option(
  rowArb.map((r) => r as Partial<Row>),
  { nil: undefined },
);
const editArb = fc.dictionary(fc.constantFrom(...COLUMN_IDS), fc.nat(10));

const world = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.record({
    base: fc.array(rowArb, { minLength: n, maxLength: n }),
    remoteChanges: fc.array(fc.tuple(changeArb, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })), {
      minLength: n,
      maxLength: n,
    }),
    edits: fc.array(editArb, { minLength: n, maxLength: n }),
    failing: fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    order: fc.shuffledSubarray(
      Array.from({ length: n }, (_, i) => i),
      { minLength: Math.max(0, n - 1), maxLength: n },
    ),
    addedRow: fc.boolean(),
    policy: fc.constantFrom<ConflictPolicy>(...CONFLICT_POLICIES),
  }),
);

const KEYS: (keyof Row)[] = ['t', 'n', 'd', 'ro'];

describe('push then pull (property)', () => {
  it('keeps every edit in Affinity, pending or flagged; overwrites no remote change unless the sheet wins; sends only edits', () => {
    fc.assert(
      fc.property(world, (w) => {
        const ids = w.base.map((_, i) => 101 + i);
        const base = new Map<number, Row>(ids.map((id, i) => [id, { name: `Co ${id}`, ...w.base[i] }]));
        const remote = new Map<number, Row>();
        ids.forEach((id, i) => {
          const r = { ...base.get(id)! };
          const [change, which] = w.remoteChanges[i];
          if (change) KEYS.forEach((k, j) => which[j] && ((r as unknown as Record<string, unknown>)[k] = change[k]));
          remote.set(id, r);
        });
        const remoteBefore = new Map([...remote].map(([id, r]) => [id, textsOf(id, r)]));
        const baseTexts = snapshotOf(base);

        // The user edits cells, sorts/deletes rows and adds one.
        const sheet = sheetOf(base);
        ids.forEach((_, i) => {
          for (const [col, pick] of Object.entries(w.edits[i])) {
            const options = TYPED[col];
            sheet.values[i][TAB_COLUMNS[col]] = options[pick % options.length];
          }
        });
        sheet.values = w.order.map((i) => sheet.values[i]);
        if (w.addedRow) sheet.values.push(['', 'New row', 'x', '', '', '', '']);
        sheet.notes = sheet.values.map(() => new Array(WIDTH).fill(''));

        // Local edits as the push sees them.
        const edited = new Map<string, string>();
        for (const line of sheet.values) {
          const id = line[0];
          if (typeof id !== 'number') continue;
          COLUMN_IDS.forEach((c, k) => {
            const local = codec.read(line[TAB_COLUMNS[c]], columns.get(c)!);
            if (local !== baseTexts.rows.get(id)![k]) edited.set(`${id}/${c}`, local);
          });
        }

        // Push.
        const scan = findEdits({ tab: tabState(sheet), snapshot: baseTexts, columns, codec, viewName: 'V' });
        const plan = planPush({
          listId: LIST_ID,
          scan,
          remote: remoteStateOf(remote, scan.entries.keys()),
          columns,
          parse: parseCtx,
          policy: w.policy,
        });
        const sent: string[] = [];
        const results = plan.requests.map((req) => {
          if (w.failing[req.listEntryId - 101])
            return { ok: false as const, message: 'Affinity refused the request (403).' };
          const row = remote.get(req.listEntryId)!;
          for (const u of req.updates) {
            const error = applyUpdate(row, u.id, u.value);
            if (error) throw new Error(`sent an invalid update: ${error}`);
            sent.push(`${req.listEntryId}/${u.id}`);
          }
          return { ok: true as const };
        });
        // Nothing is sent for a cell the user did not change, nor for a read-only column.
        for (const key of sent) {
          expect(edited.has(key)).toBe(true);
          expect(key.endsWith('affinity-data-description') || key.endsWith('@name')).toBe(false);
        }
        const out = settlePush({ plan, results, scan, tab: tabState(sheet), snapshot: baseTexts, columns, codec });
        applyBlocks(sheet.values, out.valueBlocks, stored);
        applyBlocks(sheet.notes, out.noteBlocks);
        const logged = new Set(
          out.log
            .filter((l) => l.result.startsWith("not sent: Affinity's value kept"))
            .map((l) => `${l.entryId}/${COLUMN_IDS[FIELDS.findIndex((f) => f.name === l.field) + 1]}`),
        );

        // A change made in Affinity is never overwritten unless the sheet wins.
        if (w.policy !== 'sheet-wins') {
          for (const [id, before] of remoteBefore) {
            const now = textsOf(id, remote.get(id)!);
            before.forEach((text, k) => {
              if (text !== baseTexts.rows.get(id)![k]) expect(now[k]).toBe(text);
            });
          }
        }

        // A second push sends only what failed.
        const scan2 = findEdits({ tab: tabState(sheet), snapshot: out.snapshot, columns, codec, viewName: 'V' });
        const plan2 = planPush({
          listId: LIST_ID,
          scan: scan2,
          remote: remoteStateOf(remote, scan2.entries.keys()),
          columns,
          parse: parseCtx,
          policy: w.policy,
        });
        const failedEntries = new Set(plan.requests.filter((_, i) => !results[i].ok).map((r) => r.listEntryId));
        for (const req of plan2.requests) expect(failedEntries.has(req.listEntryId)).toBe(true);

        // Pull.
        const view = buildRemoteView(
          [...remote].map(([id, r]) => entryOf(id, r)),
          FIELDS,
          'company',
          ctx,
        );
        const tab = tabState(sheet);
        const pull = planPull({
          view,
          keyColumn: keyColumnSpec(),
          tab,
          snapshot: out.snapshot,
          codec,
          viewName: 'V',
          today: '2026-11-21',
          policy: w.policy,
        });
        for (let i = 0; i < pull.appendRows; i++) {
          sheet.values.push(new Array(WIDTH).fill(''));
          sheet.notes.push(new Array(WIDTH).fill(''));
        }
        applyBlocks(sheet.values, pull.blocks, stored);
        applyBlocks(sheet.notes, pull.noteBlocks);
        for (const r of pull.deleteRows) {
          sheet.values.splice(r, 1);
          sheet.notes.splice(r, 1);
        }

        // Every edit of an editable column is in Affinity, still pending in the sheet, or flagged.
        for (const [key, local] of edited) {
          const [idText, col] = key.split('/');
          const id = Number(idText);
          const k = COLUMN_IDS.indexOf(col);
          if (!columns.get(col)!.editable) continue;
          const inAffinity = textsOf(id, remote.get(id)!)[k].toLowerCase() === local.toLowerCase();
          const r = sheet.values.findIndex((line) => line[TAB_COLUMNS[KEY_COLUMN]] === id);
          const c = TAB_COLUMNS[col];
          const pending =
            r >= 0 &&
            codec.read(sheet.values[r][c], columns.get(col)!) === local &&
            pull.snapshot.rows.get(id)![k] !== local;
          const flagged = (r >= 0 && sheet.notes[r][c].startsWith(NOTE_MARK)) || logged.has(key);
          if (!(inAffinity || pending || flagged)) {
            throw new Error(`edit ${key} = ${JSON.stringify(local)} was lost (policy ${w.policy})`);
          }
        }
        // Cells nobody edited show Affinity's value after the pull.
        for (const [id, row] of remote) {
          const r = sheet.values.findIndex((line) => line[TAB_COLUMNS[KEY_COLUMN]] === id);
          expect(r).toBeGreaterThanOrEqual(0);
          const texts = textsOf(id, row);
          COLUMN_IDS.forEach((c, k) => {
            if (edited.has(`${id}/${c}`)) return;
            expect(codec.read(sheet.values[r][TAB_COLUMNS[c]], columns.get(c)!)).toBe(texts[k]);
          });
        }
      }),
      { numRuns: 400 },
    );
  });
});
