/**
 * UrlFetchApp over real HTTP (see fetch-bridge.ts). The script addresses real URLs; the harness
 * checks them against the manifest allowlist, then maps them with `routes` (adding
 * `x-emulator-now: <virtual epoch ms>`), and models Apps Script's errors and costs.
 */
import { createHash } from 'node:crypto';
import { types } from 'node:util';
import { ApiObject, type ClassMeta } from './api-base';
import type { Env } from './env';
import { ScriptError } from './errors';
import type { BridgeRequest, BridgeResult } from './fetch-bridge';
import { batchCost, pageShape, requestCost } from './network';
import { BlobApi, toBuffer, toSignedBytes } from './utilities';

export const MAX_URL_LENGTH = 2082;
export const MAX_PAYLOAD_BYTES = 50 * 1024 * 1024;
export const MAX_RESPONSE_BYTES = 50 * 1024 * 1024;

export interface FetchLogEntry {
  /** URL as the script sent it (before routing). */
  url: string;
  method: string;
  /** Headers as the script set them (plus Content-Type from contentType/payload). */
  headers: Record<string, string>;
  payload?: string;
  /** HTTP status; 0 when no response (network error, timeout, refused by the allowlist). */
  status: number;
  /** Where the harness actually sent it, when routed. */
  routedTo?: string;
  /** Virtual time the request was sent. */
  at: number;
  /** Real milliseconds the request took. */
  elapsedMs: number;
  error?: string;
  /** Function of the execution that sent it. */
  fn?: string;
}

interface Prepared {
  url: string;
  method: string;
  scriptHeaders: Record<string, string>;
  payloadText?: string;
  mute: boolean;
  bridge: BridgeRequest;
  routedTo?: string;
  requestBytes: number;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

function escapeUrl(url: string): string {
  return url.replace(/[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]/g, (c) => encodeURIComponent(c));
}

export function allowlisted(url: string, list: readonly string[] | undefined): boolean {
  if (!list) return true;
  return list.some((prefix) => {
    if (prefix.startsWith('https://*.')) {
      const rest = prefix.slice('https://*.'.length);
      const m = /^https:\/\/([^/]+)(\/.*)?$/.exec(url);
      if (!m) return false;
      const hostAndPath = m[1] + (m[2] ?? '');
      const dot = m[1].indexOf('.');
      return dot > 0 && hostAndPath.slice(dot + 1).startsWith(rest);
    }
    return url.startsWith(prefix);
  });
}

function origin(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)/i.exec(url);
  return m ? m[1] : url;
}

function formEncode(obj: Record<string, unknown>): string {
  return Object.keys(obj)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(String(obj[k]))}`)
    .join('&');
}

function prepare(env: Env, urlArg: unknown, params: Record<string, unknown> | undefined, method: string): Prepared {
  if (typeof urlArg !== 'string')
    throw new ScriptError(
      `The parameters (${typeof urlArg}) don't match the method signature for UrlFetchApp.${method}.`,
    );
  const p = params ?? {};
  let url = urlArg;
  if (url.length > MAX_URL_LENGTH) throw new ScriptError('Limit Exceeded: URLFetch URL Length.');
  if (p.escaping !== false) url = escapeUrl(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ScriptError(`Invalid argument: ${urlArg}`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ScriptError(`Invalid argument: ${urlArg}`);
  const st = env.state;
  if (!allowlisted(url, st.manifest.urlFetchWhitelist)) {
    throw new ScriptError(`Request to ${url} failed because the URL has not been whitelisted in the script manifest.`);
  }
  const m = String(p.method ?? 'get').toUpperCase();
  if (!METHODS.has(m)) throw new ScriptError(`Invalid argument: method`);

  const scriptHeaders: Record<string, string> = {};
  if (p.headers !== undefined && p.headers !== null) {
    if (typeof p.headers !== 'object') throw new ScriptError('Invalid argument: headers');
    for (const [k, v] of Object.entries(p.headers as Record<string, unknown>)) scriptHeaders[k] = String(v);
  }
  if (Object.keys(scriptHeaders).length > 100) throw new ScriptError('Limit Exceeded: URLFetch headers.');
  let body: Buffer | undefined;
  let payloadText: string | undefined;
  let contentType = p.contentType === undefined || p.contentType === null ? undefined : String(p.contentType);
  if (p.payload !== undefined && p.payload !== null) {
    const raw = env.unwrap(p.payload);
    if (typeof raw === 'string') {
      body = Buffer.from(raw, 'utf8');
      payloadText = raw;
    } else if (raw instanceof BlobApi) {
      body = Buffer.from(raw._bytes);
      payloadText = body.toString('utf8');
      contentType ??= raw._contentType ?? undefined;
    } else if (Array.isArray(raw)) {
      body = toBuffer(env, raw);
      payloadText = body.toString('utf8');
    } else if (typeof raw === 'object' && !types.isDate(raw)) {
      payloadText = formEncode(raw as Record<string, unknown>);
      body = Buffer.from(payloadText, 'utf8');
      contentType = contentType ?? 'application/x-www-form-urlencoded';
    } else {
      payloadText = String(raw);
      body = Buffer.from(payloadText, 'utf8');
    }
    if (body.length > MAX_PAYLOAD_BYTES) throw new ScriptError('Limit Exceeded: URLFetch POST Size.');
    const headerCt = Object.keys(scriptHeaders).find((k) => k.toLowerCase() === 'content-type');
    if (contentType === undefined && headerCt === undefined) contentType = 'application/x-www-form-urlencoded';
  }
  if (contentType !== undefined) {
    for (const k of Object.keys(scriptHeaders)) if (k.toLowerCase() === 'content-type') delete scriptHeaders[k];
    scriptHeaders['Content-Type'] = contentType;
  }

  // routing (the only place a URL changes)
  let target = url;
  let routedTo: string | undefined;
  const sendHeaders: Record<string, string> = { ...scriptHeaders };
  for (const [prefix, to] of st.routes) {
    if (url.startsWith(prefix)) {
      target = to + url.slice(prefix.length);
      routedTo = target;
      sendHeaders['x-emulator-now'] = String(Math.floor(env.now()));
      break;
    }
  }
  if (!Object.keys(sendHeaders).some((k) => k.toLowerCase() === 'user-agent')) {
    const id = createHash('sha1').update(st.scriptId).digest('hex').slice(0, 20);
    sendHeaders['User-Agent'] =
      `Mozilla/5.0 (compatible; Google-Apps-Script; beanserver; +https://script.google.com; id: UAEmdDd-${id})`;
  }
  return {
    url,
    method: m,
    scriptHeaders,
    payloadText,
    mute: p.muteHttpExceptions === true,
    routedTo,
    requestBytes: (body?.length ?? 0) + url.length,
    bridge: {
      url: target,
      method: m,
      headers: sendHeaders,
      body: body ? new Uint8Array(body) : undefined,
      followRedirects: p.followRedirects !== false,
      validateHttpsCertificates: p.validateHttpsCertificates !== false,
      timeoutMs: st.fetchTimeoutMs,
    },
  };
}

function networkError(url: string, r: BridgeResult): ScriptError {
  switch (r.error) {
    case 'timeout':
      return new ScriptError(`Timeout: ${url}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new ScriptError(`DNS error: ${url}`);
    case 'invalid-url':
      return new ScriptError(`Invalid argument: ${url}`);
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return new ScriptError(`Unexpected error: ${url}`);
    default:
      if (r.error && /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY/.test(r.error))
        return new ScriptError(`SSL Error ${url}`);
      return new ScriptError(`Address unavailable: ${url}`);
  }
}

export class UrlFetchAppApi extends ApiObject {
  static override meta: ClassMeta = { service: 'UrlFetchApp', name: '' };

  fetch(url: string, params?: Record<string, unknown>): HttpResponseApi {
    const p = prepare(this.env, url, params, 'fetch');
    return this._send([p], false)[0];
  }

  fetchAll(requests: unknown[]): HttpResponseApi[] {
    if (!Array.isArray(requests))
      throw new ScriptError(
        `The parameters (${typeof requests}) don't match the method signature for UrlFetchApp.fetchAll.`,
      );
    if (requests.length === 0) return [];
    const prepared = requests.map((r) => {
      if (typeof r === 'string') return prepare(this.env, r, undefined, 'fetchAll');
      if (r === null || typeof r !== 'object') throw new ScriptError('Invalid argument: requests');
      const o = r as Record<string, unknown>;
      return prepare(this.env, o.url, o, 'fetchAll');
    });
    return this._send(prepared, true);
  }

  getRequest(url: string, params?: Record<string, unknown>): Record<string, unknown> {
    const p = prepare(this.env, url, params, 'getRequest');
    return this.env.toRealm({
      url: p.url,
      method: p.method.toLowerCase(),
      headers: p.scriptHeaders,
      payload: p.payloadText ?? '',
      contentType: p.scriptHeaders['Content-Type'] ?? null,
      followRedirects: p.bridge.followRedirects,
      validateHttpsCertificates: p.bridge.validateHttpsCertificates,
      useIntranet: false,
      muteHttpExceptions: p.mute,
    }) as Record<string, unknown>;
  }

  private _send(prepared: Prepared[], batch: boolean): HttpResponseApi[] {
    const env = this.env;
    const st = env.state;
    st.quotas.use(env, 'urlfetch', prepared.length);
    env.fetched(prepared.length, batch);
    const at = env.now();
    const results = st.bridge().requestAll(prepared.map((p) => p.bridge));
    // cost: each request's modelled latency (network.ts); a batch runs them in parallel up to the model's concurrency
    const net = st.network;
    const costs = results.map((r, i) => {
      if (r.error === 'timeout') return st.fetchTimeoutMs;
      return requestCost(net, st.costs, {
        requestBytes: prepared[i].requestBytes,
        responseBytes: r.body?.length ?? 0,
        realMs: r.elapsedMs,
        shape: net.name === 'fast' ? null : pageShape(r.body, r.rawHeaders),
      });
    });
    const total = batch ? batchCost(net, st.costs, costs) : costs[0];
    results.forEach((r, i) => {
      const p = prepared[i];
      st.fetchLog.push({
        url: p.url,
        method: p.method,
        headers: { ...p.scriptHeaders },
        payload: p.payloadText,
        status: r.status ?? 0,
        routedTo: p.routedTo,
        at,
        elapsedMs: r.elapsedMs,
        error: r.error ? `${r.error}${r.message ? ': ' + r.message : ''}` : undefined,
        fn: st.currentFn ?? undefined,
      });
    });
    env.charge(total);
    const out: HttpResponseApi[] = [];
    results.forEach((r, i) => {
      const p = prepared[i];
      if (r.error) throw networkError(p.url, r);
      const body = Buffer.from(r.body ?? new Uint8Array());
      if (body.length > MAX_RESPONSE_BYTES) throw new ScriptError('Exceeded maximum response size for URLFetch.');
      const status = r.status ?? 0;
      if (status >= 400 && !p.mute) {
        const text = body.toString('utf8');
        const trunc = text.length > 150 ? text.slice(0, 147) + '...' : text;
        throw new ScriptError(
          `Request failed for ${origin(p.url)} returned code ${status}. Truncated server response: ${trunc} (use muteHttpExceptions option to examine full response)`,
        );
      }
      out.push(new HttpResponseApi(env, status, r.rawHeaders ?? [], body));
    });
    return out;
  }
}

export class HttpResponseApi extends ApiObject {
  static override meta: ClassMeta = { service: 'UrlFetchApp', name: 'HTTPResponse', costAs: 'Utilities' };
  constructor(
    env: Env,
    readonly _status: number,
    readonly _rawHeaders: string[],
    readonly _body: Buffer,
  ) {
    super(env);
  }
  getResponseCode(): number {
    return this._status;
  }
  getContentText(charset?: string): string {
    const c = (charset ?? 'UTF-8').toLowerCase().replace('_', '-');
    return this._body.toString(c === 'us-ascii' || c === 'iso-8859-1' ? 'latin1' : 'utf8');
  }
  getContent(): number[] {
    return toSignedBytes(this.env, this._body);
  }
  getHeaders(): Record<string, string> {
    const o = this.env.object();
    for (let i = 0; i + 1 < this._rawHeaders.length; i += 2) o[this._rawHeaders[i]] = this._rawHeaders[i + 1];
    return o as Record<string, string>;
  }
  getAllHeaders(): Record<string, string | string[]> {
    const groups = new Map<string, string[]>();
    for (let i = 0; i + 1 < this._rawHeaders.length; i += 2) {
      const k = this._rawHeaders[i];
      const existing = [...groups.keys()].find((x) => x.toLowerCase() === k.toLowerCase());
      if (existing) groups.get(existing)!.push(this._rawHeaders[i + 1]);
      else groups.set(k, [this._rawHeaders[i + 1]]);
    }
    const o = this.env.object();
    for (const [k, vs] of groups) o[k] = vs.length === 1 ? vs[0] : this.env.array(vs);
    return o as Record<string, string | string[]>;
  }
  getBlob(): BlobApi {
    const ct = this._header('content-type');
    return new BlobApi(this.env, Buffer.from(this._body), ct ? ct.split(';')[0].trim() : null, null);
  }
  getAs(contentType: string): BlobApi {
    return new BlobApi(this.env, Buffer.from(this._body), contentType, null);
  }
  private _header(name: string): string | undefined {
    for (let i = 0; i + 1 < this._rawHeaders.length; i += 2)
      if (this._rawHeaders[i].toLowerCase() === name) return this._rawHeaders[i + 1];
    return undefined;
  }
}
