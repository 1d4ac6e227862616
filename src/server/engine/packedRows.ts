/**
 * Rows of a base snapshot packed one string each (the texts as JSON), for a view too large to hold as arrays of texts
 * (issue 10: about a third of the memory). Reads as the Map of entry id → texts every snapshot is; each read builds a
 * fresh array, so a caller that changes it changes nothing stored. Pure: no Apps Script here.
 */
export class PackedRows extends Map<number, string[]> {
  private readonly packed: Map<number, string>;

  constructor() {
    super();
    const packed = new Map<number, string>();
    this.packed = packed;
    // Map's own size reads its internal slots, which stay empty: count the packed rows instead.
    Object.defineProperty(this, 'size', { get: () => packed.size });
  }

  override get(id: number): string[] | undefined {
    const p = this.packed.get(id);
    return p === undefined ? undefined : (JSON.parse(p) as string[]);
  }

  override has(id: number): boolean {
    return this.packed.has(id);
  }

  override set(id: number, texts: string[]): this {
    this.packed.set(id, JSON.stringify(texts));
    return this;
  }

  override delete(id: number): boolean {
    return this.packed.delete(id);
  }

  override clear(): void {
    this.packed.clear();
  }

  override keys(): MapIterator<number> {
    return this.packed.keys();
  }

  override *values(): MapIterator<string[]> {
    for (const p of this.packed.values()) yield JSON.parse(p) as string[];
  }

  override *entries(): MapIterator<[number, string[]]> {
    for (const [id, p] of this.packed) yield [id, JSON.parse(p) as string[]];
  }

  override [Symbol.iterator](): MapIterator<[number, string[]]> {
    return this.entries();
  }

  override forEach(fn: (texts: string[], id: number, map: Map<number, string[]>) => void): void {
    for (const [id, texts] of this.entries()) fn(texts, id, this);
  }
}
