import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';

const root = path.resolve(__dirname, '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'appsscript.json'), 'utf8'));
// Format checks off: the schema declares urlFetchWhitelist items as `format: hostname`, but Apps Script requires
// https URL prefixes (see spec/README.md).
const validate = new Ajv({ allErrors: true, validateFormats: false }).compile(
  JSON.parse(readFileSync(path.join(root, 'spec/appsscript.schema.json'), 'utf8')),
);

describe('appsscript.json', () => {
  it('validates against the Apps Script manifest schema', () => {
    expect(validate(manifest) ? [] : validate.errors).toEqual([]);
  });

  it('runs on V8, logs exceptions to Stackdriver, and lists its OAuth scopes explicitly', () => {
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.exceptionLogging).toBe('STACKDRIVER');
    expect(Array.isArray(manifest.oauthScopes)).toBe(true);
    expect(manifest.oauthScopes.length).toBeGreaterThan(0);
    for (const s of manifest.oauthScopes) expect(s).toMatch(/^https:\/\/www\.googleapis\.com\/auth\/[\w.]+$/);
    expect(manifest.oauthScopes).toContain('https://www.googleapis.com/auth/script.external_request');
  });

  it('allows fetches to Affinity only by https URL prefix', () => {
    expect(manifest.urlFetchWhitelist).toContain('https://api.affinity.co/');
    for (const u of manifest.urlFetchWhitelist) expect(u).toMatch(/^https:\/\/[^/]+\/.*$/);
  });

  it('justifies each scope and each allowed URL in the README', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const s of manifest.oauthScopes)
      expect(readme).toMatch(new RegExp(`^\\| \`${s.split('/auth/')[1].replace(/\./g, '\\.')}\` \\| \\S`, 'm'));
    for (const u of manifest.urlFetchWhitelist)
      expect(readme).toMatch(new RegExp(`^\\| \`${u.replace(/[./]/g, '\\$&')}\` \\| \\S`, 'm'));
  });

  it('rejects a broken manifest', () => {
    expect(validate({ ...manifest, runtimeVersion: 'RHINO' })).toBe(false);
    expect(validate.errors?.map((e) => e.instancePath)).toContain('/runtimeVersion');
    expect(validate({ ...manifest, exceptionLogging: 'CONSOLE' })).toBe(false);
    expect(validate({ ...manifest, oauthScopes: 'https://www.googleapis.com/auth/spreadsheets' })).toBe(false);
  });
});
