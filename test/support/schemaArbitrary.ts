/**
 * fast-check arbitraries for values valid against a schema of spec/affinity-v2-subset.json. Covers the keywords the
 * response schemas of the client's operations use (type, properties, required, items, maxItems, enum, const, oneOf,
 * anyOf, allOf, $ref); anything else throws, so a new keyword is noticed rather than silently mis-generated.
 */
import fc from 'fast-check';
import { subset } from '../../tools/contract/validate';

type Schema = Record<string, unknown> | boolean;
const REF = '#/components/schemas/';
const KNOWN = new Set([
  'type',
  'properties',
  'required',
  'items',
  'maxItems',
  'enum',
  'const',
  'oneOf',
  'anyOf',
  'allOf',
  '$ref',
  'discriminator',
]);
const MAX_DEPTH = 60; // schema nesting (refs, properties, items); the reached schemas are not recursive

export function arbitraryFor(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (schema === true) return fc.jsonValue();
  if (schema === false) throw new Error('schemaArbitrary: false schema');
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`schemaArbitrary: keyword ${k}`);
  if (depth > MAX_DEPTH) throw new Error('schemaArbitrary: too deep');
  const next = (s: unknown) => arbitraryFor(s as Schema, depth + 1);
  if (typeof schema.$ref === 'string') return next(subset.components.schemas[schema.$ref.slice(REF.length)]);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf))
    return fc.oneof(...((schema.oneOf ?? schema.anyOf) as unknown[]).map(next));
  if (Array.isArray(schema.allOf)) {
    const { allOf, ...rest } = schema;
    const parts = [...(allOf as unknown[]), ...(Object.keys(rest).length ? [rest] : [])].map(next);
    return fc.tuple(...parts).map((values) => Object.assign({}, ...(values as object[])));
  }
  const types = Array.isArray(schema.type)
    ? (schema.type as string[])
    : typeof schema.type === 'string'
      ? [schema.type]
      : schema.properties
        ? ['object']
        : [];
  if (types.length === 0) return fc.jsonValue();
  return fc.oneof(...types.map((t) => ofType(t, schema, next)));
}

function ofType(type: string, schema: Record<string, unknown>, next: (s: unknown) => fc.Arbitrary<unknown>) {
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer();
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'array':
      return fc.array(schema.items ? next(schema.items) : fc.jsonValue(), {
        maxLength: Math.min(3, typeof schema.maxItems === 'number' ? schema.maxItems : 3),
      });
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, unknown>;
      const required = (schema.required ?? []) as string[];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, s] of Object.entries(props)) model[name] = next(s);
      for (const name of required) if (!(name in model)) model[name] = fc.jsonValue();
      return fc.record(model, { requiredKeys: required });
    }
    default:
      throw new Error(`schemaArbitrary: type ${type}`);
  }
}

/** The schema of an operation's success response (e.g. `GET /v2/lists`, status '200'). */
export function responseSchema(operation: string, status = '200'): Schema {
  const s = subset.operations[operation]?.responses[status]?.schema;
  if (s === undefined) throw new Error(`no ${status} schema for ${operation}`);
  return s;
}
