/**
 * Pages a pull does not read again (src/server/engine/pageDigest.ts): a page whose body up to its pagination is the
 * kept page's is reused with the new page's link; any other change, or another seed (field metadata, list type,
 * time zone, view, format), reads it whole. And the staged texts of a fixture are pinned: when they change,
 * STAGED_FORMAT must change too, or pages kept by the earlier version would be reused with stale texts.
 */
import fc from 'fast-check';
import { STAGED_FORMAT, digestText, pageSeed, pageTail, readPage } from '../../src/server/engine/pageDigest';
import { stagePage } from '../../src/server/engine/staged';
import { GENERATED, generateSeed } from '../../tools/emulator/generate';
import { ctx } from './pushModel';

const bodyOf = (data: unknown[], nextUrl: string | null) =>
  JSON.stringify({ data, pagination: { prevUrl: null, nextUrl } });
const entries = [
  {
    id: 1,
    type: 'company',
    entity: { id: 10, name: 'Acme', fields: [{ id: 'field-1', value: { type: 'text', data: 'a' } }] },
  },
  {
    id: 2,
    type: 'company',
    entity: { id: 11, name: 'Bolt', fields: [{ id: 'field-1', value: { type: 'text', data: 'b' } }] },
  },
];
const seed = pageSeed({
  fields: [{ id: 'field-1', name: 'Stage' }],
  listType: 'company',
  zone: 'America/New_York',
  viewId: 5,
});

describe('page digests', () => {
  it('reuse a page whose entries are byte for byte the kept ones, with the new link to the next page', () => {
    const first = readPage(bodyOf(entries, 'https://api.affinity.co/v2/x?cursor=a'), { seed, kept: null });
    expect(first.same).toBe(false);
    expect(first.digest).toMatch(/^[0-9a-f]{16}$/);
    const again = readPage(bodyOf(entries, 'https://api.affinity.co/v2/x?cursor=b'), { seed, kept: first.digest });
    expect(again).toEqual({ same: true, nextUrl: 'https://api.affinity.co/v2/x?cursor=b', digest: first.digest });
    const last = readPage(bodyOf(entries, null), { seed, kept: first.digest });
    expect(last).toEqual({ same: true, nextUrl: null, digest: first.digest });
  });

  it('read a page whole when one character of its entries changed', () => {
    const kept = readPage(bodyOf(entries, null), { seed, kept: null }).digest;
    const changed = JSON.parse(JSON.stringify(entries));
    changed[1].entity.fields[0].value.data = 'c';
    const read = readPage(bodyOf(changed, null), { seed, kept });
    expect(read.same).toBe(false);
    if (!read.same) expect(read.entries).toEqual(changed);
  });

  it('read a page whole under another seed: field metadata, list type, time zone, view', () => {
    const kept = readPage(bodyOf(entries, null), { seed, kept: null }).digest;
    const base = {
      fields: [{ id: 'field-1', name: 'Stage' }],
      listType: 'company',
      zone: 'America/New_York',
      viewId: 5,
    };
    const others = [
      { ...base, fields: [{ id: 'field-1', name: 'Stage (renamed)' }] },
      { ...base, listType: 'person' },
      { ...base, zone: 'Europe/London' },
      { ...base, viewId: 6 },
    ];
    expect(pageSeed(base)).toBe(seed);
    for (const other of others)
      expect(readPage(bodyOf(entries, null), { seed: pageSeed(other), kept }).same).toBe(false);
  });

  it('read a page whole when nothing sure follows its entries', () => {
    const kept = readPage(bodyOf(entries, null), { seed, kept: null }).digest;
    // pagination first: the entries come after it, and are not covered by what is digested
    const reordered = JSON.stringify({ pagination: { nextUrl: null }, data: entries });
    expect(pageTail(reordered)).toBeNull();
    expect(readPage(reordered, { seed, kept }).same).toBe(false);
    expect(pageTail(JSON.stringify({ data: entries }))).toBeNull();
    expect(pageTail('{"data":[],"pagination":{"nextUrl":5}}')).toBeNull();
    // a value that reads "pagination" before the real key does not confuse it
    const tricky = bodyOf([{ ...entries[0], entity: { ...entries[0].entity, name: '"pagination":{}' } }], 'u');
    expect(pageTail(tricky)).toEqual({ end: tricky.lastIndexOf('"pagination"'), nextUrl: 'u' });
    expect(() => readPage('{"data":[', { seed, kept: null })).toThrow();
  });

  it('differ for different texts (random texts, same length and seed)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer(), (text, at, s) => {
        const i = at % text.length;
        const other = text.slice(0, i) + String.fromCharCode((text.charCodeAt(i) + 1) % 65536) + text.slice(i + 1);
        expect(digestText(other, other.length, s)).not.toBe(digestText(text, text.length, s));
        expect(digestText(text, text.length, s)).not.toBe(digestText(text, text.length, s ^ 1));
      }),
    );
  });

  it('pin the staged texts of a fixture (when this fails, bump STAGED_FORMAT and update the pin)', () => {
    const fixture = generateSeed({ entries: 200, fieldsInView: 30 });
    const listId = String(GENERATED.companyListId);
    const page = stagePage(0, fixture.entries[listId], fixture.fields[listId], 'company', ctx);
    const text = JSON.stringify(page);
    expect({ format: STAGED_FORMAT, texts: digestText(text, text.length, 0) }).toEqual({
      format: 1,
      texts: '6753859100853911',
    });
  });
});
