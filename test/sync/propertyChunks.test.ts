import { chunkUtf8, PIECE_BYTES, readChunked, utf8Length, writeChunked } from '../../src/server/sync/propertyChunks';
import { memoryStore } from '../support/memoryStore';

describe('property values in UTF-8 bytes', () => {
  it('measures UTF-8 bytes like Buffer.byteLength, surrogate pairs included', () => {
    for (const s of ['abc', 'é', '名前', '😀x', 'a😀名é']) expect(utf8Length(s)).toBe(Buffer.byteLength(s, 'utf8'));
  });

  it('cuts pieces under the byte budget without splitting a character', () => {
    const text = '名😀a'.repeat(3000);
    const pieces = chunkUtf8(text, PIECE_BYTES);
    expect(pieces.join('')).toBe(text);
    for (const p of pieces) {
      expect(Buffer.byteLength(p, 'utf8')).toBeLessThanOrEqual(PIECE_BYTES);
      expect(p).toBe(Buffer.from(p, 'utf8').toString('utf8')); // no lone surrogate
    }
  });

  it('stores small texts as they are, large ones in pieces, and removes pieces no longer needed', () => {
    const doc = memoryStore();
    writeChunked(doc, 'k', '[1,2]');
    expect([...doc.data.keys()]).toEqual(['k']);
    const big = JSON.stringify(['名'.repeat(5000)]);
    writeChunked(doc, 'k', big);
    expect(readChunked(doc, 'k')).toBe(big);
    expect(doc.data.get('k')).toBe('2');
    writeChunked(doc, 'k', '"small"');
    expect([...doc.data.keys()]).toEqual(['k']);
    expect(readChunked(doc, 'k')).toBe('"small"');
    writeChunked(doc, 'k', '7'); // a bare count is stored in pieces so that it reads back as itself
    expect(readChunked(doc, 'k')).toBe('7');
  });
});
