/**
 * The bundle Apps Script runs: dist/Code.js (built by `npm run build`, which `npm test` runs first).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vm from 'node:vm';
import ts from 'typescript';
import { entryPointNames } from '../scripts/build';

const root = join(__dirname, '..');
const code = readFileSync(join(root, 'dist/Code.js'), 'utf8');
const parse = (text: string) => ts.createSourceFile('Code.js', text, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
const source = parse(code);

const FORBIDDEN = [
  'require',
  'module',
  'exports',
  'process',
  'global',
  'Buffer',
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
  'crypto',
  'structuredClone',
  'window',
  'document',
  'navigator',
  'performance',
];

/** Identifiers used as free references (not property names, not declared in the bundle). */
function freeReferences(file: ts.SourceFile = source): Map<string, number> {
  const declared = new Set<string>();
  const used = new Map<string, number>();
  const visit = (node: ts.Node) => {
    if (
      (ts.isVariableDeclaration(node) ||
        ts.isFunctionDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isClassDeclaration(node)) &&
      node.name &&
      ts.isIdentifier(node.name)
    ) {
      declared.add(node.name.text);
    }
    if (ts.isIdentifier(node)) {
      const p = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isPropertyAssignment(p) && p.name === node) ||
        (ts.isMethodDeclaration(p) && p.name === node) ||
        (ts.isPropertyDeclaration(p) && p.name === node) ||
        (ts.isShorthandPropertyAssignment(p) && false);
      if (!isPropertyName) used.set(node.text, (used.get(node.text) ?? 0) + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const name of declared) used.delete(name);
  return used;
}

describe('dist/Code.js', () => {
  it('uses no Node or browser global and no module syntax', () => {
    const free = freeReferences();
    const leaks = FORBIDDEN.filter((name) => free.has(name));
    expect(leaks).toEqual([]);
    const moduleSyntax = source.statements.filter(
      (s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s),
    );
    expect(moduleSyntax).toHaveLength(0);
    expect(code).not.toMatch(/\bimport\s*\(/);
    expect(code).not.toMatch(/#[a-zA-Z_]\w*\s*[=;(]/); // no #private fields (Apps Script's V8 cannot parse them)
  });

  it('the leak check catches a leak (a check that cannot fail proves nothing)', () => {
    const leaky = parse(
      'var x = 1; function f() { setTimeout(g, 1); return new URL("a"); } function g() { return process.env; }',
    );
    expect(FORBIDDEN.filter((n) => freeReferences(leaky).has(n))).toEqual(['process', 'setTimeout', 'URL']);
    const clean = parse('function f(setTimeout) { return UrlFetchApp.fetch("u") + obj.process; }');
    expect(FORBIDDEN.filter((n) => freeReferences(clean).has(n))).toEqual([]);
  });

  it('declares every export of the entry module as a real top-level function', async () => {
    const names = await entryPointNames();
    expect(names).toEqual(
      expect.arrayContaining(['onOpen', 'menuPullThisTab', 'menuPullAllTabs', 'pullTab', 'bindTab']),
    );
    const topLevel = source.statements.filter(ts.isFunctionDeclaration).map((f) => f.name?.text);
    expect(topLevel.sort()).toEqual(names);
  });

  it('loads in a bare context holding only Apps Script globals and exposes the entry points', async () => {
    const names = await entryPointNames();
    const services = [
      'SpreadsheetApp',
      'PropertiesService',
      'CacheService',
      'LockService',
      'ScriptApp',
      'UrlFetchApp',
      'Utilities',
      'Session',
      'HtmlService',
      'Logger',
    ];
    const context = vm.createContext(Object.fromEntries([...services.map((s) => [s, {}]), ['console', { log() {} }]]));
    vm.runInContext(code, context, { filename: 'Code.js' });
    for (const name of names) expect(typeof context[name]).toBe('function');
    for (const name of ['require', 'module', 'process', 'setTimeout', 'fetch', 'URL', 'TextEncoder']) {
      expect(vm.runInContext(`typeof ${name}`, context)).toBe('undefined');
    }
  });

  it('targets es2020: no class static blocks or fields Apps Script cannot parse', () => {
    let staticFields = 0;
    const visit = (node: ts.Node) => {
      if (ts.isPropertyDeclaration(node)) staticFields++;
      if (ts.isClassStaticBlockDeclaration(node)) staticFields++;
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(staticFields).toBe(0);
  });
});
