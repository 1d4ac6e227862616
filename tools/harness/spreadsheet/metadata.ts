/**
 * Developer metadata: DeveloperMetadata, its location and finders, and the storage limit.
 */
import { ApiObject, type ClassMeta, enumName } from '../api-base';
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { type DevMetaModel, type MetaLocation, type SheetModel, type Span, type SpreadsheetModel } from './model';
import { METADATA_CHAR_LIMIT, spanOf } from './shared';
import { RangeApi } from './range';
import { SheetApi } from './sheet';
import { SpreadsheetApi } from './spreadsheet';

function metadataChars(ss: SpreadsheetModel, owner: SheetModel | null): number {
  let n = 0;
  for (const m of ss.metadata) {
    const o = m.loc.type === 'SPREADSHEET' ? null : m.loc.sheet;
    if (o === owner) n += m.key.length + (m.value?.length ?? 0);
  }
  return n;
}

export function addMetadata(env: Env, loc: MetaLocation, key: unknown, a: unknown, b: unknown): DevMetaModel {
  if (typeof key !== 'string' || key === '') throw new ScriptError('Invalid argument: key');
  let value: string | null = null;
  let visibility: 'DOCUMENT' | 'PROJECT' = 'DOCUMENT';
  const isVis = (x: unknown) =>
    x !== null && typeof x === 'object' && (String(x) === 'DOCUMENT' || String(x) === 'PROJECT');
  if (isVis(a)) visibility = String(a) as 'DOCUMENT' | 'PROJECT';
  else if (a !== undefined && a !== null) value = String(a);
  if (b !== undefined && b !== null) visibility = enumName(b) === 'PROJECT' ? 'PROJECT' : 'DOCUMENT';
  const ss = env.state.spreadsheet;
  const owner = loc.type === 'SPREADSHEET' ? null : loc.sheet;
  if (metadataChars(ss, owner) + key.length + (value?.length ?? 0) > METADATA_CHAR_LIMIT) {
    throw new ScriptError(
      `Developer metadata storage exceeded: the ${owner ? 'sheet' : 'spreadsheet'} can hold at most ${METADATA_CHAR_LIMIT} characters of metadata keys and values.`,
    );
  }
  return ss.addMetadata(key, value, visibility, loc);
}

export class DeveloperMetadataApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DeveloperMetadata' };
  constructor(
    env: Env,
    readonly _m: DevMetaModel,
  ) {
    super(env);
  }
  private _live(): DevMetaModel {
    if (!this.env.state.spreadsheet.metadata.includes(this._m))
      throw new ScriptError('The developer metadata was removed.');
    return this._m;
  }
  getId(): number {
    return this._m.id;
  }
  getKey(): string {
    return this._live().key;
  }
  getValue(): string | null {
    return this._live().value;
  }
  getVisibility(): unknown {
    return this.env.enumValue('DeveloperMetadataVisibility', this._live().visibility);
  }
  getLocation(): DeveloperMetadataLocationApi {
    return new DeveloperMetadataLocationApi(this.env, this._live());
  }
  setKey(key: string): DeveloperMetadataApi {
    if (typeof key !== 'string' || key === '') throw new ScriptError('Invalid argument: key');
    this._live().key = key;
    return this;
  }
  setValue(value: string | null): DeveloperMetadataApi {
    this._live().value = value === null || value === undefined ? null : String(value);
    return this;
  }
  setVisibility(v: unknown): DeveloperMetadataApi {
    this._live().visibility = enumName(v) === 'PROJECT' ? 'PROJECT' : 'DOCUMENT';
    return this;
  }
  remove(): void {
    this.env.state.spreadsheet.removeMetadata(this._live());
  }
  moveToColumn(range: RangeApi): DeveloperMetadataApi {
    this._live().loc = { type: 'COLUMN', sheet: range._sheet, span: spanOf(range._col, range._nc) };
    return this;
  }
  moveToRow(range: RangeApi): DeveloperMetadataApi {
    this._live().loc = { type: 'ROW', sheet: range._sheet, span: spanOf(range._row, range._nr) };
    return this;
  }
  moveToSheet(sheet: SheetApi): DeveloperMetadataApi {
    this._live().loc = { type: 'SHEET', sheet: sheet._model };
    return this;
  }
  moveToSpreadsheet(): DeveloperMetadataApi {
    this._live().loc = { type: 'SPREADSHEET' };
    return this;
  }
}

export class DeveloperMetadataLocationApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DeveloperMetadataLocation' };
  constructor(
    env: Env,
    readonly _m: DevMetaModel,
  ) {
    super(env);
  }
  getLocationType(): unknown {
    return this.env.enumValue('DeveloperMetadataLocationType', this._m.loc.type);
  }
  getColumn(): RangeApi | null {
    const l = this._m.loc;
    if (l.type !== 'COLUMN') return null;
    return new RangeApi(this.env, l.sheet, 1, l.span.start + 1, l.sheet.maxRows, l.span.end - l.span.start);
  }
  getRow(): RangeApi | null {
    const l = this._m.loc;
    if (l.type !== 'ROW') return null;
    return new RangeApi(this.env, l.sheet, l.span.start + 1, 1, l.span.end - l.span.start, l.sheet.maxCols);
  }
  getSheet(): SheetApi | null {
    const l = this._m.loc;
    return l.type === 'SPREADSHEET' ? null : new SheetApi(this.env, l.sheet);
  }
  getSpreadsheet(): SpreadsheetApi | null {
    return this._m.loc.type === 'SPREADSHEET' ? new SpreadsheetApi(this.env, this.env.state.spreadsheet) : null;
  }
}

type FinderScope =
  | { kind: 'spreadsheet' }
  | { kind: 'sheet'; sheet: SheetModel }
  | { kind: 'range'; sheet: SheetModel; rows: Span; cols: Span };

export class DeveloperMetadataFinderApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'DeveloperMetadataFinder' };
  private _id: number | null = null;
  private _key: string | null = null;
  private _value: string | null | undefined = undefined;
  private _type: string | null = null;
  private _visibility: string | null = null;
  private _intersecting = false;
  constructor(
    env: Env,
    private readonly _scope: FinderScope,
  ) {
    super(env);
  }
  withId(id: number): DeveloperMetadataFinderApi {
    this._id = Number(id);
    return this;
  }
  withKey(key: string): DeveloperMetadataFinderApi {
    this._key = String(key);
    return this;
  }
  withValue(value: string): DeveloperMetadataFinderApi {
    this._value = value === null ? null : String(value);
    return this;
  }
  withLocationType(t: unknown): DeveloperMetadataFinderApi {
    this._type = enumName(t);
    return this;
  }
  withVisibility(v: unknown): DeveloperMetadataFinderApi {
    this._visibility = enumName(v);
    return this;
  }
  onIntersectingLocations(): DeveloperMetadataFinderApi {
    this._intersecting = true;
    return this;
  }
  find(): DeveloperMetadataApi[] {
    const sc = this._scope;
    const inScope = (m: DevMetaModel): boolean => {
      if (sc.kind === 'spreadsheet') return true;
      if (m.loc.type === 'SPREADSHEET') return false;
      if (m.loc.sheet !== sc.sheet) return false;
      if (sc.kind === 'sheet') return true;
      if (m.loc.type === 'SHEET') return false;
      const s = sc.sheet;
      // the location as a block of cells
      const rows = m.loc.type === 'ROW' ? m.loc.span : { start: 0, end: s.maxRows };
      const cols = m.loc.type === 'COLUMN' ? m.loc.span : { start: 0, end: s.maxCols };
      if (this._intersecting) {
        return (
          rows.start < sc.rows.end && sc.rows.start < rows.end && cols.start < sc.cols.end && sc.cols.start < cols.end
        );
      }
      return (
        rows.start >= sc.rows.start && rows.end <= sc.rows.end && cols.start >= sc.cols.start && cols.end <= sc.cols.end
      );
    };
    return this.env.state.spreadsheet.metadata
      .filter(
        (m) =>
          inScope(m) &&
          (this._id === null || m.id === this._id) &&
          (this._key === null || m.key === this._key) &&
          (this._value === undefined || m.value === this._value) &&
          (this._type === null || m.loc.type === this._type) &&
          (this._visibility === null || m.visibility === this._visibility),
      )
      .map((m) => new DeveloperMetadataApi(this.env, m));
  }
}
