import { HarnessExecutionError } from '../../tools/harness';
import { harnessFor } from './helpers';

const FORBIDDEN = [
  'require',
  'module',
  'exports',
  'process',
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'setImmediate',
  'fetch',
  'URL',
  'URLSearchParams',
  'TextEncoder',
  'TextDecoder',
  'atob',
  'btoa',
  'Buffer',
  'crypto',
  'structuredClone',
  'performance',
  'window',
  'navigator',
  'global',
  'queueMicrotask',
  'Blob',
  'FormData',
];

const code = `
var counter = 0;
function forbidden(names) { return names.filter(function (n) { return typeof globalThis[n] !== 'undefined'; }); }
function services() {
  return ['SpreadsheetApp','PropertiesService','CacheService','LockService','ScriptApp','UrlFetchApp','Utilities','Session','HtmlService','Logger','console']
    .filter(function (n) { return typeof globalThis[n] === 'undefined'; });
}
function clock() {
  return { now: Date.now(), made: new Date().getTime(), str: Date(), isDate: new Date() instanceof Date,
           parsed: new Date(2020, 0, 1).getFullYear(), utc: Date.UTC(2020, 0, 1), ctor: new Date().constructor === Date };
}
function bump() { counter++; PropertiesService.getScriptProperties().setProperty('n', String(counter)); return counter; }
const arrow = () => 'arrow';
let viaLet = function () { return 'let'; };
var obj = { method: function () { return this === obj; } };
async function later() { await null; return 'resolved'; }
async function rejects() { await null; throw new Error('async boom'); }
function local() {
  var d = new Date(2024, 0, 15, 9, 30);
  var z = new Date('2024-07-04T10:00:00Z');
  return [d.toISOString(), d.getHours(), d.getTimezoneOffset(), String(d), new Date('2024-07-04 10:00').toISOString(),
          new Date('2024-07-04').toISOString(), z.getHours(), new Intl.DateTimeFormat('en-US', { hour: 'numeric' }).format(z)];
}
function throws() { throw new TypeError('bad thing'); }
function throwsString() { throw 'plain'; }
function catchesService() { try { SpreadsheetApp.getActiveSheet().getRange(0, 1); } catch (e) { return [e.name, e.message, String(e), e instanceof Error]; } }
`;

describe('execution context', () => {
  it('holds only Apps Script globals and JS builtins', () => {
    const h = harnessFor(code);
    expect(h.run('forbidden', FORBIDDEN)).toEqual([]);
    expect(h.run('services')).toEqual([]);
  });

  it('gives the script a Date that reads the virtual clock', () => {
    const start = Date.UTC(2030, 5, 1, 12, 0, 0);
    // cpuFactor 0: the virtual clock moves by the cost model only, whatever the machine's speed or load.
    const h = harnessFor(code, { startTime: start, costs: { cpuFactor: 0 } });
    const c = h.run('clock') as Record<string, unknown>;
    expect(c.now).toBeGreaterThanOrEqual(start);
    expect(c.now).toBeLessThan(start + 5_000);
    expect(c.made).toBeGreaterThanOrEqual(start);
    expect(c.isDate).toBe(true);
    expect(c.ctor).toBe(true);
    expect(c.parsed).toBe(2020);
    expect(c.utc).toBe(Date.UTC(2020, 0, 1));
    expect(String(c.str)).toMatch(/2030/);
    h.advance(3 * 86_400_000);
    const later = h.run('clock') as { now: number };
    expect(later.now).toBeGreaterThanOrEqual(start + 3 * 86_400_000);
  });

  it("does local-time Date arithmetic in the script's time zone (manifest), whatever the host's", () => {
    const h = harnessFor(code, { manifest: { timeZone: 'America/New_York' } });
    expect(h.run('local')).toEqual([
      '2024-01-15T14:30:00.000Z',
      9,
      300,
      'Mon Jan 15 2024 09:30:00 GMT-0500 (Eastern Standard Time)',
      '2024-07-04T14:00:00.000Z', // local (EDT) reading of a zone-less date-time
      '2024-07-04T00:00:00.000Z', // ISO date-only strings are UTC
      6,
      '6 AM',
    ]);
  });

  it('evaluates the bundle afresh per execution while service state persists', () => {
    const h = harnessFor(code);
    expect(h.run('bump')).toBe(1);
    expect(h.run('bump')).toBe(1); // top-level var re-initialized
    expect(h.properties.script.getProperty('n')).toBe('1');
    h.properties.script.setProperty('n', '41');
    expect(h.executions).toHaveLength(2);
  });

  it('refuses a bundle with syntax Apps Script cannot parse', () => {
    expect(() => harnessFor('class A { #secret = 1; get() { return this.#secret; } }')).toThrow(
      /private class member #secret at 1:11/,
    );
    expect(() => harnessFor('class B { static retries = 3; }')).toThrow(/static class field retries/);
    expect(() => harnessFor('var re = /#x/; class C { static m() { return 1; } }')).not.toThrow();
    expect(() => harnessFor('class D { #x = 1; }', { checkSyntax: false })).not.toThrow();
  });

  it('finds functions declared with function, const/let and object methods', () => {
    const h = harnessFor(code);
    expect(h.run('arrow')).toBe('arrow');
    expect(h.run('viaLet')).toBe('let');
    expect(h.run('obj.method')).toBe(true);
    expect(() => h.run('nope')).toThrow('Script function not found: nope');
  });

  it('settles async entry points before the execution ends', () => {
    const h = harnessFor(code);
    expect(h.run('later')).toBe('resolved');
    expect(() => h.run('rejects')).toThrow('async boom');
  });

  it('reports script errors with their message and metrics', () => {
    const h = harnessFor(code);
    let err: unknown;
    try {
      h.run('throws');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HarnessExecutionError);
    const he = err as HarnessExecutionError;
    expect(he.message).toBe('bad thing');
    expect(he.scriptErrorName).toBe('TypeError');
    expect(he.metrics.error).toBe('bad thing');
    expect(h.lastExecution.error).toBe('bad thing');
    expect(() => h.run('throwsString')).toThrow('plain');
  });

  it('throws service errors into the script as Exceptions of its realm', () => {
    const h = harnessFor(code);
    expect(h.run('catchesService')).toEqual([
      'Exception',
      'The starting row of the range is too small.',
      'Exception: The starting row of the range is too small.',
      true,
    ]);
  });
});
