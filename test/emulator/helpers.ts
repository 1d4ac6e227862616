/** Test helpers: call the emulator in-process and check every answer against Affinity's spec. */
import Ajv2020 from 'ajv/dist/2020';
import { validateRequest, validateResponse } from '../../tools/contract/validate';
import type { AffinityEmulator, EmulatorResponse } from '../../tools/emulator/emulator';
import { GENERATED } from '../../tools/emulator/generate';
import { ERROR_CODES } from '../../src/server/affinity/types';

export const KEY: string = GENERATED.apiKey;
export const LIST: number = GENERATED.companyListId;
export const OPP_LIST: number = GENERATED.opportunityListId;
export const VIEW: number = GENERATED.sheetViewId;
export const ENTRY: number = GENERATED.firstEntryId;

export interface CallOptions {
  /** API key to send; null sends no Authorization header. */
  key?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  /** Check the response against the spec (default true; off for non-Affinity answers such as Nango's errors). */
  validate?: boolean;
}

export type Answer = EmulatorResponse & { json: any };

/**
 * Affinity's `Errors` body as its error schemas define it (openapi-v2.json: stricter than the derived subset, a
 * `validation` error must name its param and no other error may have one). Written out here so that the tests run
 * in a clone without ../shared; test/contract checks the committed subset against ../shared when it is there.
 */
const OTHER_CODES = ERROR_CODES.filter((c) => c !== 'validation');
const errorsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: {
        oneOf: [
          {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'message', 'param'],
            properties: { code: { const: 'validation' }, message: { type: 'string' }, param: { type: 'string' } },
          },
          {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'message'],
            properties: { code: { enum: OTHER_CODES }, message: { type: 'string' } },
          },
        ],
      },
    },
  },
};
const validateErrors = new Ajv2020({ strict: false }).compile(errorsSchema);

/** Asserts that a response matches the spec's schema for its operation and status (and errors Affinity's Errors). */
export function expectValid(method: string, url: string, res: { status: number; body: string }): void {
  const v = validateResponse(method, url, res.status, res.body);
  if (!v.ok)
    throw new Error(
      `${method} ${url} → ${res.status} does not match the spec:\n  ${v.errors.join('\n  ')}\n${res.body.slice(0, 600)}`,
    );
  if (res.status >= 400 && !validateErrors(JSON.parse(res.body))) {
    throw new Error(
      `${method} ${url} → ${res.status}: not Affinity's Errors body: ${JSON.stringify(validateErrors.errors)}\n${res.body}`,
    );
  }
}

export function call(em: AffinityEmulator, method: string, url: string, opts: CallOptions = {}): Answer {
  const key = opts.key === undefined ? KEY : opts.key;
  const headers: Record<string, string> = { 'X-Affinity-Api-Version': '2026-09-17' };
  if (key !== null) headers.Authorization = `Bearer ${key}`;
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  Object.assign(headers, opts.headers);
  const body =
    opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
  const res = em.handle({ method, url, headers, body });
  if (opts.validate !== false) expectValid(method, url, res);
  let json: unknown;
  try {
    json = res.body ? JSON.parse(res.body) : undefined;
  } catch {
    json = undefined;
  }
  return { ...res, json };
}

export const get = (em: AffinityEmulator, url: string, opts?: CallOptions) => call(em, 'GET', url, opts);

/** Follows nextUrl from a first page (each URL must be a request the spec allows); returns every item and the pages. */
export function getAll(
  em: AffinityEmulator,
  url: string,
  opts?: CallOptions,
): { items: any[]; pages: number; urls: string[] } {
  const items: any[] = [];
  const urls: string[] = [];
  let next: string | null = url;
  while (next) {
    urls.push(next);
    const request = validateRequest('GET', next);
    if (!request.ok) throw new Error(`GET ${next} is not a valid request: ${request.errors.join('; ')}`);
    const res = get(em, next, opts);
    if (res.status !== 200) throw new Error(`${next} → ${res.status} ${res.body}`);
    items.push(...(res.json.data ?? []));
    next = res.json.pagination.nextUrl;
  }
  return { items, pages: urls.length, urls };
}

export function errorOf(res: Answer): { code: string; message: string; param?: string } {
  return res.json.errors[0];
}
