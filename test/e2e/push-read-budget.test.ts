/**
 * A push whose conflict check cannot fit the execution (issue 10, docs/push.md): reading 9,800 edited entries in
 * parallel (about 980 waves of 10) or the view's 100 slow pages (measured at about 3.4 s each by the last pull) both
 * need more than the 5-minute budget, so nothing is read or sent, the person is told so in words, and the edits stay
 * in their cells, pending. Virtual time only. Run `npm run build` first.
 */
import { startProduct, type Product } from '../../tools/cli/product';
import type { NetworkOption } from '../../tools/harness/network';
import { MINUTE, bindAndSettle } from './scheduleHelpers';

const ENTRIES = 10_000;
const EDITED = 9_800;
/** Affinity serving a page of 100 entries × 10 fields in about 3.4 s. */
const SLOW: NetworkOption = { name: 'realistic', affinityPerEntryMs: 30 };

describe("a push whose conflict check does not fit the execution's budget", () => {
  let product: Product;
  beforeAll(async () => {
    product = await startProduct({ generate: { entries: ENTRIES, fieldsInView: 10 }, harness: { network: SLOW } });
  });
  afterAll(() => product.close());

  it('reads nothing, sends nothing, says so, and the edits stay in their cells', () => {
    const h = product.harness;
    // The bind's pull spans two executions (100 pages of about 3.4 s) and records the view's page time.
    const { sheet, column } = bindAndSettle(product);
    expect(sheet.getLastRow()).toBe(ENTRIES + 1);
    const col = column('Description');
    expect(col).toBeGreaterThan(0);
    const edits = Array.from({ length: EDITED }, (_, i) => [`Edited ${i}`]);
    sheet.getRange(2, col, EDITED, 1).setValues(edits);

    const from = h.fetchLog.length;
    // Cells written by script have no recorded editor: the person pushing confirms them (docs/sharing.md).
    expect(() => h.run('pushTab', sheet.getSheetId(), undefined, true)).toThrow(
      /^Nothing was sent: checking .* needs about \d+ s and this execution has \d+ s left\. Your edits stay pending/,
    );
    const m = h.lastExecution;
    expect(m.killed).toBeUndefined(); // a message, never the platform's time limit
    expect(m.virtualMs).toBeLessThan(5 * MINUTE);
    const sent = h.fetchLog.slice(from);
    expect(sent.filter((r) => r.method.toLowerCase() === 'patch')).toHaveLength(0);
    expect(sent.filter((r) => /list-entries/.test(r.url))).toHaveLength(0);
    expect(sheet.getRange(2, col, EDITED, 1).getValues()).toEqual(edits);
  });
});
