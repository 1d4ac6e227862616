import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DIGEST_FILE,
  MANIFEST_SCHEMA_FILE,
  MANIFEST_SCHEMA_OUT,
  SHARED_DIR,
  SUBSET_OUT,
  deriveSpec,
  stableStringify,
} from '../../scripts/derive-spec';
import { subset, validateSchema } from '../../tools/contract/validate';

const REF = '#/components/schemas/';
const committed = readFileSync(SUBSET_OUT, 'utf8');
const spec = JSON.parse(committed) as typeof subset;
const schemas = spec.components.schemas as Record<string, Record<string, unknown>>;
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function refs(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, into));
  else if (isObj(value))
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref') into.push(v as string);
      else refs(v, into);
    }
  return into;
}

/** Keywords (not property names) used anywhere in a schema. */
function keywords(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => keywords(s, into));
  else if (isObj(schema)) {
    for (const [k, v] of Object.entries(schema)) {
      into.add(k);
      if (k === 'properties' && isObj(v)) Object.values(v).forEach((s) => keywords(s, into));
      else if (k !== 'enum' && k !== 'const' && k !== 'discriminator' && k !== 'required') keywords(v, into);
    }
  }
  return into;
}

describe('spec/affinity-v2-subset.json', () => {
  it('equals a fresh derivation from ../shared byte-for-byte (when ../shared/affinity is present)', () => {
    if (existsSync(path.join(SHARED_DIR, 'affinity'))) {
      expect(deriveSpec()).toBe(committed); // if this fails: npm run derive-spec
      expect(deriveSpec()).toBe(committed); // and deterministically so
      expect(readFileSync(MANIFEST_SCHEMA_OUT)).toEqual(readFileSync(path.join(SHARED_DIR, MANIFEST_SCHEMA_FILE)));
    } else {
      // A clean clone without ../shared: the committed files must stand alone.
      expect(spec.source).toMatchObject({ digest: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      expect(JSON.parse(readFileSync(MANIFEST_SCHEMA_OUT, 'utf8')).$id).toBe(
        'https://json.schemastore.org/appsscript.json',
      );
    }
  });

  it('is in stable form and records its sources', () => {
    expect(stableStringify(spec)).toBe(committed);
    expect(spec.source).toMatchObject({
      digest: {
        apiVersion: '2026-09-17',
        file: `../shared/${DIGEST_FILE}`,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
      // The full digest carries Affinity's own 2026-09-17 error schemas.
      errors: {
        apiVersion: '2026-09-17',
        file: `../shared/${DIGEST_FILE}`,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
  });

  it('is self-consistent: every $ref resolves and every schema is reachable from an operation', () => {
    for (const ref of refs(spec)) {
      expect(ref.startsWith(REF)).toBe(true);
      expect(schemas).toHaveProperty([ref.slice(REF.length)]);
    }
    const reached = new Set<string>();
    const queue = refs(spec.operations).map((r) => r.slice(REF.length));
    while (queue.length) {
      const n = queue.pop()!;
      if (reached.has(n)) continue;
      reached.add(n);
      queue.push(...refs(schemas[n]).map((r) => r.slice(REF.length)));
    }
    expect([...reached].sort()).toEqual(Object.keys(schemas).sort());
  });

  it('has the operations the product uses, with success and error responses', () => {
    const keys = Object.keys(spec.operations);
    expect(keys.length).toBe(112); // every operation of the 2026-09-17 digest
    for (const k of [
      'GET /v2/auth/whoami',
      'GET /v2/lists',
      'GET /v2/lists/{listId}/fields',
      'GET /v2/lists/{listId}/list-entries',
      'GET /v2/lists/{listId}/saved-views',
      'GET /v2/lists/{listId}/saved-views/{viewId}/list-entries',
      'GET /v2/lists/{listId}/fields/{fieldId}/dropdown-options',
      'PATCH /v2/lists/{listId}/list-entries/{listEntryId}/fields',
      'POST /v2/companies/search',
      'POST /v2/persons/search',
      'POST /v2/lists/{listId}/list-entries',
      'GET /v2/notes',
    ])
      expect(keys).toContain(k);
    for (const [key, op] of Object.entries(spec.operations)) {
      const statuses = Object.keys(op.responses);
      expect(statuses.some((s) => /^2\d\d$/.test(s))).toBe(true);
      expect(op.responses['4XX']).toEqual({ schema: { $ref: `${REF}Errors` } });
      expect(op.responses['5XX']).toEqual({ schema: { $ref: `${REF}Errors` } });
      for (const name of key.match(/\{(\w+)\}/g) ?? [])
        expect(op.parameters).toHaveProperty([`path:${name.slice(1, -1)}`]);
    }
    expect(schemas.Error).toMatchObject({ required: ['code', 'message'], properties: { param: { type: 'string' } } });
    expect((schemas.Error.properties as { code: { enum: string[] } }).code.enum).toEqual(
      expect.arrayContaining(['authentication', 'not-found', 'rate-limit', 'server', 'timeout', 'validation']),
    );
  });

  it('carries no prose', () => {
    const used = keywords(spec.components.schemas);
    for (const op of Object.values(spec.operations)) keywords(op, used);
    for (const k of ['description', 'title', 'example', 'examples', 'summary', '$comment'])
      expect(used).not.toContain(k);
    expect([...used].filter((k) => k.startsWith('x-'))).toEqual([]);
  });

  it('declares discriminator mappings that cover exactly their unions', () => {
    let seen = 0;
    for (const [name, s] of Object.entries(schemas)) {
      const d = s.discriminator as { propertyName: string; mapping: Record<string, string> } | undefined;
      if (!d) continue;
      seen++;
      const members = ((s.oneOf ?? s.anyOf) as { $ref: string }[]).map((m) => m.$ref).sort();
      expect({ name, targets: [...new Set(Object.values(d.mapping))].sort() }).toEqual({ name, targets: members });
    }
    expect(seen).toBeGreaterThan(10);
  });

  it('compiles every component schema in ajv strict mode', () => {
    for (const name of Object.keys(schemas)) expect(typeof validateSchema(name, null).ok).toBe('boolean');
  });
});
