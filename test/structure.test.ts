/**
 * The shape of src: no import cycle anywhere, and an engine that stays pure (no imports from gas/ or sync/, no Apps
 * Script global). The import graph is read with the TypeScript compiler (type-only imports count: a cycle of types
 * is still two modules that cannot be understood apart).
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const SRC = resolve(__dirname, '../src');
const ENGINE = join(SRC, 'server/engine');

/** Apps Script services and globals the engine must never touch (it runs in node tests as it is). */
const APPS_SCRIPT_GLOBALS = [
  'SpreadsheetApp',
  'UrlFetchApp',
  'PropertiesService',
  'ScriptApp',
  'LockService',
  'CacheService',
  'Session',
  'Utilities',
  'HtmlService',
  'Logger',
  'DriveApp',
  'ContentService',
  'MailApp',
  'GmailApp',
  'DocumentApp',
  'CalendarApp',
  'FormApp',
  'Browser',
  'GoogleAppsScript',
  'google',
];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports of a file, resolved to files of the tree. */
function importsOf(file: string, known: Set<string>): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out: string[] = [];
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), ref.fileName);
    const target = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => known.has(p));
    if (target) out.push(target);
  }
  return out;
}

function importGraph(dir: string): Map<string, string[]> {
  const files = tsFiles(dir);
  const known = new Set(files);
  return new Map(files.map((f) => [f, importsOf(f, known)]));
}

/** Every import cycle's files (strongly connected components of more than one file, or a file importing itself). */
function cycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/** Apps Script globals a source uses as values or types (comments and property names do not count). */
function globalsUsed(source: string): string[] {
  const sf = ts.createSourceFile('x.ts', source, ts.ScriptTarget.ES2020, true);
  const names = new Set(APPS_SCRIPT_GLOBALS);
  const used = new Set<string>();
  const walk = (node: ts.Node): void => {
    if (ts.isIdentifier(node) && names.has(node.text)) {
      const p = node.parent;
      const isMemberName =
        (ts.isPropertyAccessExpression(p) && p.name === node) ||
        (ts.isQualifiedName(p) && p.right === node) ||
        ((ts.isPropertyAssignment(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p)) && p.name === node);
      if (!isMemberName) used.add(node.text);
    }
    ts.forEachChild(node, walk);
  };
  walk(sf);
  return [...used].sort();
}

const rel = (f: string) => relative(SRC, f);

describe('structure of src', () => {
  it('has no import cycle', () => {
    expect(cycles(importGraph(SRC)).map((c) => c.map(rel))).toEqual([]);
  });

  it('the cycle check finds a cycle, through type-only imports and re-exports too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cycles-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a.ts'), "import { b } from './sub/b';\nexport const a = b;\n");
      writeFileSync(join(dir, 'sub/b.ts'), "export { c as b } from '../c';\n");
      writeFileSync(join(dir, 'c.ts'), "import type { A } from './a';\nexport const c = 1 as unknown as A;\n");
      writeFileSync(join(dir, 'd.ts'), "import { a } from './a';\nexport const d = a;\n");
      const found = cycles(importGraph(dir)).map((c) => c.map((f) => relative(dir, f)));
      expect(found).toEqual([['a.ts', 'c.ts', 'sub/b.ts']]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps engine/ free of imports from gas/, sync/ and the action files', () => {
    const allowed = [
      join(SRC, 'server/engine'),
      join(SRC, 'server/affinity'),
      join(SRC, 'shared'),
      join(SRC, 'server/ports.ts'),
    ];
    const graph = importGraph(SRC);
    const bad: string[] = [];
    for (const [file, deps] of graph) {
      if (!file.startsWith(ENGINE)) continue;
      for (const d of deps) if (!allowed.some((a) => d.startsWith(a))) bad.push(`${rel(file)} → ${rel(d)}`);
    }
    expect(bad).toEqual([]);
  });

  it('keeps engine/ free of Apps Script globals', () => {
    const bad = tsFiles(ENGINE).flatMap((f) => globalsUsed(readFileSync(f, 'utf8')).map((g) => `${rel(f)}: ${g}`));
    expect(bad).toEqual([]);
  });

  it('the globals check sees a global in code, not in comments or as a property name', () => {
    expect(globalsUsed('// SpreadsheetApp.flush()\nconst x = { Session: 1 }; x.Session;\n')).toEqual([]);
    expect(globalsUsed('export const f = () => SpreadsheetApp.flush();')).toEqual(['SpreadsheetApp']);
    expect(globalsUsed('let s: GoogleAppsScript.Spreadsheet.Sheet | null = null;')).toEqual(['GoogleAppsScript']);
    expect(globalsUsed('const t = Utilities.formatDate(new Date(), "UTC", "yyyy");')).toEqual(['Utilities']);
  });
});
