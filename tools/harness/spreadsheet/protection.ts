/**
 * Protection and NamedRange.
 */
import { ApiObject, type ClassMeta } from '../api-base';
import type { Env } from '../env';
import { ScriptError } from '../errors';
import { UserApi } from '../session';
import { type NamedRangeModel, type ProtectionModel } from './model';
import { spanOf, userEmail } from './shared';
import { RangeApi } from './range';

export class ProtectionApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'Protection' };
  constructor(
    env: Env,
    readonly _p: ProtectionModel,
  ) {
    super(env);
  }
  getProtectionType(): unknown {
    return this.env.enumValue('ProtectionType', this._p.type);
  }
  getRange(): RangeApi {
    const p = this._p;
    if (p.type === 'SHEET') return new RangeApi(this.env, p.sheet, 1, 1, p.sheet.maxRows, p.sheet.maxCols);
    return new RangeApi(
      this.env,
      p.sheet,
      p.rows.start + 1,
      p.cols.start + 1,
      p.rows.end - p.rows.start,
      p.cols.end - p.cols.start,
    );
  }
  setRange(range: RangeApi): ProtectionApi {
    this._p.rows = spanOf(range._row, range._nr);
    this._p.cols = spanOf(range._col, range._nc);
    return this;
  }
  getRangeName(): string | null {
    return this._p.rangeName;
  }
  setRangeName(name: string): ProtectionApi {
    this._p.rangeName = String(name);
    return this;
  }
  getDescription(): string {
    return this._p.description;
  }
  setDescription(description: string): ProtectionApi {
    this._p.description = String(description ?? '');
    return this;
  }
  isWarningOnly(): boolean {
    return this._p.warningOnly;
  }
  setWarningOnly(warningOnly: boolean): ProtectionApi {
    this._p.warningOnly = warningOnly === true;
    return this;
  }
  getEditors(): UserApi[] {
    const ss = this.env.state.spreadsheet;
    return [ss.owner, ...[...this._p.editors].filter((e) => e !== ss.owner)].map((e) => new UserApi(this.env, e));
  }
  addEditor(user: unknown): ProtectionApi {
    this._p.editors.add(userEmail(user));
    return this;
  }
  addEditors(users: unknown[]): ProtectionApi {
    for (const u of users) this.addEditor(u);
    return this;
  }
  removeEditor(user: unknown): ProtectionApi {
    this._p.editors.delete(userEmail(user));
    return this;
  }
  removeEditors(users: unknown[]): ProtectionApi {
    for (const u of users) this.removeEditor(u);
    return this;
  }
  canEdit(): boolean {
    const u = this.env.user();
    return u === this.env.state.spreadsheet.owner || this._p.editors.has(u);
  }
  canDomainEdit(): boolean {
    return this._p.domainEdit;
  }
  setDomainEdit(editable: boolean): ProtectionApi {
    this._p.domainEdit = editable === true;
    return this;
  }
  getUnprotectedRanges(): RangeApi[] {
    return this._p.unprotected.map(
      (u) =>
        new RangeApi(
          this.env,
          this._p.sheet,
          u.rows.start + 1,
          u.cols.start + 1,
          u.rows.end - u.rows.start,
          u.cols.end - u.cols.start,
        ),
    );
  }
  setUnprotectedRanges(ranges: RangeApi[]): ProtectionApi {
    if (this._p.type !== 'SHEET') throw new ScriptError('Unprotected ranges can only be set on a sheet protection.');
    this._p.unprotected = ranges.map((r) => {
      const u = this.env.unwrap(r) as RangeApi;
      return { rows: spanOf(u._row, u._nr), cols: spanOf(u._col, u._nc) };
    });
    return this;
  }
  remove(): void {
    const ss = this.env.state.spreadsheet;
    if (this.env.user() !== ss.owner && !this._p.editors.has(this.env.user())) {
      throw new ScriptError("You don't have permission to remove this protection.");
    }
    ss.protections = ss.protections.filter((p) => p !== this._p);
  }
}

export class NamedRangeApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'NamedRange' };
  constructor(
    env: Env,
    readonly _n: NamedRangeModel,
  ) {
    super(env);
  }
  getName(): string {
    return this._n.name;
  }
  getRange(): RangeApi {
    const n = this._n;
    return new RangeApi(
      this.env,
      n.sheet,
      n.rows.start + 1,
      n.cols.start + 1,
      n.rows.end - n.rows.start,
      n.cols.end - n.cols.start,
    );
  }
  remove(): void {
    const ss = this.env.state.spreadsheet;
    ss.namedRanges = ss.namedRanges.filter((x) => x !== this._n);
  }
}
