/**
 * Derives spec/affinity-v2-subset.json from the shared Affinity specs (read-only, at ../shared beside the project
 * root) and copies the Apps Script manifest schema to spec/appsscript.schema.json.
 *
 * - Operations: every operation of the full 2026-09-17 digest, with parameters, request body and success responses.
 * - Errors: Affinity's `Errors` body, flattened from the digest's error schemas (code enum; the 2024-01-01 spec's when a
 *   digest lacks them), as "4XX"/"5XX".
 * - Components: only the schemas reachable from those.
 * - olderVersions: the operation keys API version 2024-01-01 has (from openapi-v2.json), for the emulator's keys whose
 *   default version is 2024-01-01.
 * - No prose: descriptions, titles, examples and vendor extensions are dropped; keys are sorted; output is stable.
 *
 * Usage: `npm run derive-spec` (writes), or `deriveSpec()` from tests (returns the text, writes nothing).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..');
/**
 * `../shared` beside the project root; a git worktree one level deeper (`/work/wt/<name>`) finds it one level up.
 * `AFFINITY_SHARED_DIR` overrides both.
 */
export const SHARED_DIR =
  process.env.AFFINITY_SHARED_DIR ??
  [path.resolve(PROJECT_ROOT, '../shared'), path.resolve(PROJECT_ROOT, '../../shared')].find((d) =>
    existsSync(path.join(d, 'affinity')),
  ) ??
  path.resolve(PROJECT_ROOT, '../shared');
export const DIGEST_FILE = 'affinity/v2-2026-09-17-digest.json';
export const OPENAPI_FILE = 'affinity/openapi-v2.json';
export const MANIFEST_SCHEMA_FILE = 'schemas/appsscript.schema.json';
export const SUBSET_OUT = path.join(PROJECT_ROOT, 'spec/affinity-v2-subset.json');
export const MANIFEST_SCHEMA_OUT = path.join(PROJECT_ROOT, 'spec/appsscript.schema.json');

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const REF_PREFIX = '#/components/schemas/';
const MEDIA_TYPE = 'application/json';
/** Keys that carry prose or samples, dropped wherever they are schema keywords (never as property names). */
const PROSE = new Set(['description', 'title', 'example', 'examples', '$comment', 'externalDocs']);
/** Keywords whose value is a map of name → schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
/** Keywords whose value is a schema. */
const SCHEMA_ONE = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST = new Set(['oneOf', 'anyOf', 'allOf', 'prefixItems']);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function fail(msg: string): never {
  throw new Error(`derive-spec: ${msg}`);
}

/** Copies a schema without prose or vendor extensions. */
export function cleanSchema(schema: Json, where: string): Json {
  if (typeof schema === 'boolean') return schema;
  if (!isObj(schema)) fail(`${where}: not a schema`);
  const out: Obj = {};
  for (const [k, v] of Object.entries(schema)) {
    if (PROSE.has(k) || k.startsWith('x-')) continue;
    if (SCHEMA_MAPS.has(k)) {
      if (!isObj(v)) fail(`${where}/${k}: not an object`);
      out[k] = Object.fromEntries(Object.entries(v).map(([n, s]) => [n, cleanSchema(s, `${where}/${k}/${n}`)]));
    } else if (SCHEMA_ONE.has(k)) {
      out[k] = cleanSchema(v, `${where}/${k}`);
    } else if (SCHEMA_LIST.has(k)) {
      if (!Array.isArray(v)) fail(`${where}/${k}: not an array`);
      out[k] = v.map((s, i) => cleanSchema(s, `${where}/${k}/${i}`));
    } else {
      out[k] = v; // enum, const, type, required, discriminator, $ref, maxItems...
    }
  }
  return out;
}

/** Every `$ref` under a value. */
function refsIn(value: Json, into: Set<string>): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, into));
  else if (isObj(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') into.add(v);
      else refsIn(v, into);
    }
  }
  return into;
}

function refName(ref: string, where: string): string {
  if (!ref.startsWith(REF_PREFIX)) fail(`${where}: unsupported $ref ${ref}`);
  return ref.slice(REF_PREFIX.length);
}

/** JSON with object keys sorted at every level; arrays keep their order. */
export function stableStringify(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (isObj(v)) {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort(v[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}

/** `content: { 'application/json': schema }` (digest form) → the schema; anything else is a derivation error. */
function jsonSchemaOf(content: Json, where: string): Json {
  if (!isObj(content)) fail(`${where}: not an object`);
  const types = Object.keys(content);
  if (types.length !== 1 || types[0] !== MEDIA_TYPE) fail(`${where}: media types ${types.join(', ')}`);
  return cleanSchema(content[MEDIA_TYPE], where);
}

/**
 * Affinity's error body from the 2024-01-01 spec: `Errors` = { errors: Error[] }, where `Error` is the union of the
 * per-code error schemas flattened to one object: `code` an enum of their constants, the union of their properties,
 * required = what all of them require, closed if all of them are.
 */
function deriveErrorSchemas(openapi: Obj): { Errors: Json; Error: Json } {
  const schemas = (openapi.components as Obj)?.schemas as Obj;
  const errors = schemas?.Errors;
  const error = schemas?.Error;
  if (!isObj(errors) || !isObj(error) || !Array.isArray(error.oneOf)) fail('2024-01-01 spec lacks Errors/Error');
  const items = ((errors.properties as Obj)?.errors as Obj)?.items as Obj;
  if (items?.$ref !== `${REF_PREFIX}Error`) fail('Errors.errors.items is not Error');

  const codes: string[] = [];
  const properties: Obj = {};
  let required: string[] | null = null;
  let closed = true;
  for (const member of error.oneOf) {
    const name = refName((member as Obj).$ref as string, 'Error.oneOf');
    const s = schemas[name] as Obj;
    const props = (s?.properties ?? {}) as Obj;
    const code = (props.code as Obj)?.const;
    if (typeof code !== 'string') fail(`${name}.code has no const`);
    codes.push(code);
    for (const [p, ps] of Object.entries(props)) {
      if (p === 'code') continue;
      const cleaned = cleanSchema(ps, `${name}/properties/${p}`);
      if (p in properties && stableStringify(properties[p]) !== stableStringify(cleaned)) fail(`${name}.${p} differs`);
      properties[p] = cleaned;
    }
    const req = (s.required ?? []) as string[];
    required = required === null ? [...req] : required.filter((r) => req.includes(r));
    closed = closed && s.additionalProperties === false;
  }
  properties.code = { enum: [...new Set(codes)].sort(), type: 'string' };
  const Error: Obj = { properties, required: (required ?? []).sort(), type: 'object' };
  if (closed) Error.additionalProperties = false;
  const Errors: Obj = {
    properties: { errors: { items: { $ref: `${REF_PREFIX}Error` }, type: 'array' } },
    required: ['errors'],
    type: 'object',
  };
  if (errors.additionalProperties === false) Errors.additionalProperties = false;
  return { Errors, Error };
}

const sha256 = (buf: Buffer) => createHash('sha256').update(buf).digest('hex');

/** Returns the subset's text (what `spec/affinity-v2-subset.json` must contain). */
export function deriveSpec(sharedDir: string = SHARED_DIR): string {
  const digestBuf = readFileSync(path.join(sharedDir, DIGEST_FILE));
  const openapiBuf = readFileSync(path.join(sharedDir, OPENAPI_FILE));
  const digest = JSON.parse(digestBuf.toString('utf8')) as Obj;
  const openapi = JSON.parse(openapiBuf.toString('utf8')) as Obj;
  const digestSchemas = (digest.components as Obj).schemas as Obj;
  // The full digest carries Affinity's error schemas of 2026-09-17 (a `timeout` code more than 2024-01-01's); a digest
  // without them falls back to the 2024-01-01 spec's.
  const errorsFromDigest = isObj(digestSchemas.Errors) && isObj(digestSchemas.Error);
  const errorSchemas = deriveErrorSchemas(errorsFromDigest ? digest : openapi);
  const errorRef = { $ref: `${REF_PREFIX}Errors` };
  const errorStatuses = ['4XX', '5XX'];

  const operations: Record<string, Obj> = {};
  for (const [key, op] of Object.entries(digest.operations as Obj)) {
    if (!/^(GET|POST|PUT|PATCH|DELETE) \/v2\/\S*$/.test(key)) fail(`odd operation key ${key}`);
    if (!isObj(op)) fail(`${key}: not an object`);
    const parameters: Obj = {};
    for (const [pk, p] of Object.entries((op.parameters ?? {}) as Obj)) {
      if (!/^(path|query|header):[A-Za-z0-9_.[\]-]+$/.test(pk) || !isObj(p)) fail(`${key}: odd parameter ${pk}`);
      parameters[pk] = { required: p.required === true, schema: cleanSchema(p.schema, `${key}/${pk}`) };
    }
    const out: Obj = { parameters };
    if (op.requestBody !== undefined) {
      const rb = op.requestBody as Obj;
      out.requestBody = { required: rb.required === true, schema: jsonSchemaOf(rb.content, `${key}/requestBody`) };
    }
    const responses: Obj = {};
    for (const [status, r] of Object.entries(op.responses as Obj)) {
      if (!/^2\d\d$/.test(status)) fail(`${key}: unexpected response ${status}`);
      responses[status] =
        isObj(r) && Object.keys(r).length === 0 ? {} : { schema: jsonSchemaOf(r, `${key}/responses/${status}`) };
    }
    if (Object.keys(responses).length === 0) fail(`${key}: no success response`);
    for (const s of errorStatuses) responses[s] = { schema: errorRef };
    out.responses = responses;
    operations[key] = out;
  }

  // Component schemas reachable from the operations (and the error schemas).
  const all: Obj = { ...digestSchemas, ...errorSchemas };
  const schemas: Obj = {};
  const queue = [...refsIn(operations as Json, new Set())].map((r) => refName(r, 'operations'));
  while (queue.length) {
    const name = queue.pop()!;
    if (name in schemas) continue;
    if (!(name in all)) fail(`unresolved $ref ${REF_PREFIX}${name}`);
    schemas[name] = errorSchemas[name as keyof typeof errorSchemas] ?? cleanSchema(all[name], name);
    for (const r of refsIn(schemas[name], new Set())) queue.push(refName(r, name));
  }

  // Which of these operations API version 2024-01-01 has (its spec's paths × methods): what a key whose default version
  // is 2024-01-01 is served when no version header arrives.
  const olderOperations: string[] = [];
  for (const [p, item] of Object.entries((openapi.paths ?? {}) as Obj)) {
    for (const m of Object.keys(item as Obj)) {
      const key = `${m.toUpperCase()} ${p}`;
      if (/^(GET|POST|PUT|PATCH|DELETE) /.test(key)) olderOperations.push(key);
    }
  }
  for (const key of olderOperations) if (!(key in operations)) fail(`2024-01-01 operation ${key} is not in the digest`);

  const source = digest.source as Obj;
  const subset = {
    components: { schemas },
    olderVersions: { [String((openapi.info as Obj)?.['x-affinity-api-version'])]: olderOperations.sort() },
    errorStatuses,
    mediaType: MEDIA_TYPE,
    operations,
    source: {
      derivedBy: 'scripts/derive-spec.ts',
      digest: {
        apiVersion: ((source?.digest_source ?? {}) as Obj)['x-affinity-api-version'] ?? null,
        file: `../shared/${DIGEST_FILE}`,
        sha256: sha256(digestBuf),
        upstream: { commit: source?.commit ?? null, path: source?.path ?? null, repo: source?.repo ?? null },
      },
      errors: errorsFromDigest
        ? {
            apiVersion: ((source?.digest_source ?? {}) as Obj)['x-affinity-api-version'] ?? null,
            file: `../shared/${DIGEST_FILE}`,
            sha256: sha256(digestBuf),
          }
        : {
            apiVersion: (openapi.info as Obj)?.['x-affinity-api-version'] ?? null,
            file: `../shared/${OPENAPI_FILE}`,
            sha256: sha256(openapiBuf),
          },
    },
  };
  return stableStringify(subset);
}

if (require.main === module) {
  writeFileSync(SUBSET_OUT, deriveSpec());
  writeFileSync(MANIFEST_SCHEMA_OUT, readFileSync(path.join(SHARED_DIR, MANIFEST_SCHEMA_FILE)));
  console.log(
    `wrote ${path.relative(PROJECT_ROOT, SUBSET_OUT)} and ${path.relative(PROJECT_ROOT, MANIFEST_SCHEMA_OUT)}`,
  );
}
