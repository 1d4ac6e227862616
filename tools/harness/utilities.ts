/** Utilities and Base.Blob. Byte arrays are Java-style signed bytes (-128..127), as in Apps Script. */
import { createHash, createHmac } from 'node:crypto';
import { types } from 'node:util';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ApiObject, type ClassMeta, enumName } from './api-base';
import type { Env } from './env';
import { ScriptError } from './errors';
import { formatJavaDate, parseJavaDate } from './java-date-format';
import { isValidTimeZone } from './tz';

export const MAX_SLEEP_MS = 300_000;

export function toSignedBytes(env: Env, buf: Uint8Array): number[] {
  const out = env.newArray(buf.length) as number[];
  for (let i = 0; i < buf.length; i++) out[i] = buf[i] > 127 ? buf[i] - 256 : buf[i];
  return out;
}

/** Bytes of a string (in a charset) or of a byte array / Blob given by the script. */
export function toBuffer(env: Env, data: unknown, charset?: unknown): Buffer {
  const u = env.unwrap(data);
  if (u instanceof BlobApi) return Buffer.from(u._bytes);
  if (Array.isArray(u)) return Buffer.from(u.map((b) => Number(b) & 0xff));
  if (u instanceof Uint8Array) return Buffer.from(u);
  const enc = enumName(charset) === 'US_ASCII' ? 'latin1' : 'utf8';
  return Buffer.from(String(u), enc);
}

/** Charges the time a call takes to process `bytes` of data (docs/harness.md, cost model: `utilitiesPerKbMs`). */
function chargeBytes(env: Env, bytes: number, perKbMs = env.state.costs.utilitiesPerKbMs): void {
  env.charge((bytes / 1024) * perKbMs);
}

export class UtilitiesApi extends ApiObject {
  static override meta: ClassMeta = {
    service: 'Utilities',
    name: '',
    enums: { DigestAlgorithm: 'DigestAlgorithm', MacAlgorithm: 'MacAlgorithm', Charset: 'Charset' },
  };
  sleep(milliseconds: number): void {
    if (
      typeof milliseconds !== 'number' ||
      !Number.isFinite(milliseconds) ||
      milliseconds < 0 ||
      milliseconds > MAX_SLEEP_MS
    ) {
      throw new ScriptError('Invalid argument: milliseconds');
    }
    this.env.charge(milliseconds);
  }
  formatDate(date: Date, timeZone: string, format: string): string {
    if (!types.isDate(date))
      throw new ScriptError(
        'The parameters (' + typeof date + ",String,String) don't match the method signature for Utilities.formatDate.",
      );
    if (!isValidTimeZone(String(timeZone))) throw new ScriptError(`Invalid argument: timeZone`);
    const t = date.getTime();
    if (Number.isNaN(t)) throw new ScriptError('Invalid argument: date');
    return formatJavaDate(t, String(timeZone), String(format));
  }
  parseDate(date: string, timeZone: string, format: string): Date {
    if (!isValidTimeZone(String(timeZone))) throw new ScriptError(`Invalid argument: timeZone`);
    return this.env.date(parseJavaDate(String(date), String(timeZone), String(format)));
  }
  formatString(template: string, ...args: unknown[]): string {
    let i = 0;
    return String(template).replace(
      /%(-)?(0)?(\d+)?(?:\.(\d+))?([sdifxXeEob%])/g,
      (_m, left, zero, width, prec, conv) => {
        if (conv === '%') return '%';
        const a = args[i++];
        let s: string;
        switch (conv) {
          case 'd':
          case 'i':
            s = String(Math.trunc(Number(a)));
            break;
          case 'f':
            s = Number(a).toFixed(prec === undefined ? 6 : Number(prec));
            break;
          case 'e':
          case 'E':
            s = Number(a).toExponential(prec === undefined ? 6 : Number(prec));
            if (conv === 'E') s = s.toUpperCase();
            break;
          case 'x':
            s = Math.trunc(Number(a)).toString(16);
            break;
          case 'X':
            s = Math.trunc(Number(a)).toString(16).toUpperCase();
            break;
          case 'o':
            s = Math.trunc(Number(a)).toString(8);
            break;
          case 'b':
            s = String(Boolean(a));
            break;
          default:
            s = String(a);
            if (prec !== undefined) s = s.slice(0, Number(prec));
        }
        const w = width === undefined ? 0 : Number(width);
        if (s.length < w) s = left ? s.padEnd(w) : s.padStart(w, zero && conv !== 's' ? '0' : ' ');
        return s;
      },
    );
  }
  getUuid(): string {
    return this.env.state.nextUuid();
  }
  base64Encode(data: unknown, charset?: unknown): string {
    const b = toBuffer(this.env, data, charset);
    chargeBytes(this.env, b.length);
    return b.toString('base64');
  }
  base64EncodeWebSafe(data: unknown, charset?: unknown): string {
    const b = toBuffer(this.env, data, charset);
    chargeBytes(this.env, b.length);
    return b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
  }
  base64Decode(encoded: string): number[] {
    const s = String(encoded);
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s.replace(/\s/g, ''))) throw new ScriptError('Could not decode string.');
    chargeBytes(this.env, s.length);
    return toSignedBytes(this.env, Buffer.from(s, 'base64'));
  }
  base64DecodeWebSafe(encoded: string): number[] {
    const s = String(encoded);
    if (!/^[A-Za-z0-9\-_]*={0,2}$/.test(s.replace(/\s/g, ''))) throw new ScriptError('Could not decode string.');
    return toSignedBytes(this.env, Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }
  computeDigest(algorithm: unknown, value: unknown, charset?: unknown): number[] {
    const alg: Record<string, string> = {
      MD5: 'md5',
      SHA_1: 'sha1',
      SHA_256: 'sha256',
      SHA_384: 'sha384',
      SHA_512: 'sha512',
    };
    const a = alg[enumName(algorithm)];
    if (!a) throw new ScriptError('Invalid argument: algorithm');
    const input = toBuffer(this.env, value, charset);
    chargeBytes(this.env, input.length);
    return toSignedBytes(this.env, createHash(a).update(input).digest());
  }
  computeHmacSha256Signature(value: unknown, key: unknown, charset?: unknown): number[] {
    return this.computeHmacSignature('HMAC_SHA_256', value, key, charset);
  }
  computeHmacSignature(algorithm: unknown, value: unknown, key: unknown, charset?: unknown): number[] {
    const alg: Record<string, string> = {
      HMAC_MD5: 'md5',
      HMAC_SHA_1: 'sha1',
      HMAC_SHA_256: 'sha256',
      HMAC_SHA_384: 'sha384',
      HMAC_SHA_512: 'sha512',
    };
    const a = alg[enumName(algorithm)];
    if (!a) throw new ScriptError('Invalid argument: algorithm');
    return toSignedBytes(
      this.env,
      createHmac(a, toBuffer(this.env, key, charset))
        .update(toBuffer(this.env, value, charset))
        .digest(),
    );
  }
  newBlob(data: unknown, contentType?: string, name?: string): BlobApi {
    const bytes = toBuffer(this.env, data ?? '');
    chargeBytes(this.env, bytes.length);
    return new BlobApi(this.env, bytes, contentType ?? null, name ?? null);
  }
  jsonStringify(obj: unknown): string {
    return JSON.stringify(obj);
  }
  jsonParse(json: string): unknown {
    return this.env.toRealm(JSON.parse(String(json)));
  }
  parseCsv(csv: string, delimiter = ','): string[][] {
    const rows: string[][] = [];
    let row: string[] = [];
    let cur = '';
    let q = false;
    const s = String(csv);
    const d = String(delimiter);
    for (let i = 0; i < s.length; i++) {
      const ch = s[i];
      if (q) {
        if (ch === '"' && s[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === d) {
        row.push(cur);
        cur = '';
      } else if (ch === '\n' || ch === '\r') {
        if (ch === '\r' && s[i + 1] === '\n') i++;
        row.push(cur);
        rows.push(row);
        row = [];
        cur = '';
      } else cur += ch;
    }
    if (cur !== '' || row.length) {
      row.push(cur);
      rows.push(row);
    }
    return this.env.toRealm(rows) as string[][];
  }
  gzip(blob: BlobApi, name?: string): BlobApi {
    const b = this.env.unwrap(blob) as BlobApi;
    chargeBytes(this.env, b._bytes.length, this.env.state.costs.gzipPerKbMs);
    return new BlobApi(this.env, gzipSync(b._bytes), 'application/x-gzip', name ?? (b._name ? `${b._name}.gz` : null));
  }
  ungzip(blob: BlobApi): BlobApi {
    const b = this.env.unwrap(blob) as BlobApi;
    try {
      const out = gunzipSync(b._bytes);
      chargeBytes(this.env, out.length);
      return new BlobApi(this.env, out, null, b._name?.replace(/\.gz$/, '') ?? null);
    } catch {
      throw new ScriptError('Could not decompress gzip.');
    }
  }
}

export class BlobApi extends ApiObject {
  static override meta: ClassMeta = { service: 'Base', name: 'Blob', costAs: 'Utilities' };
  constructor(
    env: Env,
    public _bytes: Buffer,
    public _contentType: string | null,
    public _name: string | null,
  ) {
    super(env);
  }
  getBytes(): number[] {
    chargeBytes(this.env, this._bytes.length);
    return toSignedBytes(this.env, this._bytes);
  }
  setBytes(data: unknown): BlobApi {
    this._bytes = toBuffer(this.env, data);
    return this;
  }
  getDataAsString(charset?: string): string {
    const c = (charset ?? 'UTF-8').toLowerCase().replace('_', '-');
    chargeBytes(this.env, this._bytes.length);
    return this._bytes.toString(c === 'us-ascii' || c === 'iso-8859-1' ? 'latin1' : 'utf8');
  }
  setDataFromString(s: string, charset?: string): BlobApi {
    this._bytes = toBuffer(this.env, String(s), charset);
    return this;
  }
  getContentType(): string | null {
    return this._contentType;
  }
  setContentType(contentType: string | null): BlobApi {
    this._contentType = contentType;
    return this;
  }
  getName(): string | null {
    return this._name;
  }
  setName(name: string): BlobApi {
    this._name = name;
    return this;
  }
  copyBlob(): BlobApi {
    return new BlobApi(this.env, Buffer.from(this._bytes), this._contentType, this._name);
  }
  getAs(contentType: string): BlobApi {
    return new BlobApi(this.env, Buffer.from(this._bytes), contentType, this._name);
  }
  getBlob(): BlobApi {
    return this;
  }
  isGoogleType(): boolean {
    return false;
  }
}
