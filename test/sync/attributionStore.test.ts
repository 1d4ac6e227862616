/** The store of who edited (sync/attributionStore.ts) with Node's gzip in place of Apps Script's Utilities. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { addEvent, emptyRecords, fingerprint } from '../../src/server/engine/attribution';
import type { TextCompressor } from '../../src/server/engine/packedRows';
import { MAX_BYTES, loadRecords, saveRecords } from '../../src/server/sync/attributionStore';
import { utf8Length } from '../../src/server/sync/propertyChunks';
import { memoryStore } from '../support/memoryStore';

const zip: TextCompressor = {
  zip: (t) => gzipSync(Buffer.from(t, 'utf8')).toString('base64'),
  unzip: (z) => gunzipSync(Buffer.from(z, 'base64')).toString('utf8'),
};

const ANN = { key: 'k-ann', email: 'ann@example.com' };
const stored = (doc: ReturnType<typeof memoryStore>) => [...doc.data.values()].reduce((n, v) => n + utf8Length(v), 0);

describe('the records of who edited, as stored', () => {
  it('keep a pasted column of 12,000 cells whole, in under the 60 KB a tab has (it held about 2,600 cells)', () => {
    const doc = memoryStore();
    const r = emptyRecords();
    const cells = Array.from({ length: 12_000 }, (_, i) => ({
      entryId: 1_000_001 + i,
      columnId: 'field-3',
      value: `Edited ${i}`,
    }));
    addEvent(r, ANN, 1, cells);
    saveRecords(doc, 7, r, zip);
    expect(stored(doc)).toBeLessThanOrEqual(MAX_BYTES);
    const back = loadRecords(doc, 7, zip);
    expect(back.events).toHaveLength(1);
    expect(back.events[0][2]).toHaveLength(12_000);
    expect(back.users).toEqual([ANN]);
  });

  it('drop the oldest events first when the newest do not fit with them', () => {
    const doc = memoryStore();
    const r = emptyRecords();
    for (let e = 0; e < 4; e++)
      addEvent(
        r,
        ANN,
        e,
        Array.from({ length: 6_000 }, (_, i) => ({ entryId: 1 + i * 97 + e, columnId: `f${e}`, value: `${e}:${i}` })),
      );
    saveRecords(doc, 7, r, zip);
    expect(stored(doc)).toBeLessThanOrEqual(MAX_BYTES);
    const back = loadRecords(doc, 7, zip);
    expect(back.events.length).toBeGreaterThan(0);
    expect(back.events.length).toBeLessThan(4);
    expect(back.events[back.events.length - 1][0]).toBe(3);
  });

  it('read what an earlier version stored (plain JSON, whole fingerprints)', () => {
    const doc = memoryStore();
    const old = { users: [ANN], columns: ['f1'], events: [[5, 0, [[7, 0, fingerprint('x')]]]] };
    doc.set('affinity.edits.7', JSON.stringify(old));
    expect(loadRecords(doc, 7, zip).events).toEqual(old.events);
  });
});
