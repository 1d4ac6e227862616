/**
 * The sidebar client (src/client) and the page built from it (dist/sidebar.html): it shares only types with the
 * server, never builds HTML from data, and needs nothing from the network.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..');
const clientDir = join(root, 'src/client');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const sources = files(clientDir).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));

describe('src/client', () => {
  it('imports from the server or shared code only as types', () => {
    const valueImports: string[] = [];
    for (const { path, text } of sources) {
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.ES2022, true);
      for (const st of file.statements) {
        if (!ts.isImportDeclaration(st)) continue;
        const from = (st.moduleSpecifier as ts.StringLiteral).text;
        if (!/\/(server|shared)\//.test(from)) continue;
        const typeOnly =
          st.importClause?.isTypeOnly === true ||
          (st.importClause?.namedBindings !== undefined &&
            ts.isNamedImports(st.importClause.namedBindings) &&
            !st.importClause.name &&
            st.importClause.namedBindings.elements.every((e) => e.isTypeOnly));
        if (!typeOnly) valueImports.push(`${path}: ${from}`);
      }
    }
    expect(valueImports).toEqual([]);
  });

  it('never parses data as HTML', () => {
    const risky =
      /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\s*\(|new Function\s*\(|createContextualFragment|DOMParser/;
    expect(
      sources.filter((s) => risky.test(s.text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, ''))).map((s) => s.path),
    ).toEqual([]);
  });

  it('registers its sections in one list in sidebar.ts, one line each', () => {
    const sidebar = readFileSync(join(clientDir, 'sidebar.ts'), 'utf8');
    const list = /const SECTIONS[^\n]*\n([\s\S]*?)\n\];/.exec(sidebar)?.[1] ?? '';
    const active = list.split('\n').filter((l) => /^\s*\(\) => import\('\.\/sections\/\w+'\),\s*$/.test(l));
    expect(active.map((l) => /sections\/(\w+)/.exec(l)?.[1])).toEqual(
      expect.arrayContaining(['connection', 'tabs', 'status']),
    );
  });
});

describe('dist/sidebar.html', () => {
  const html = readFileSync(join(root, 'dist/sidebar.html'), 'utf8');

  it('has its script and stylesheet inlined, and loads nothing from anywhere', () => {
    expect(html).not.toContain('<!-- inline:script -->');
    expect(html).not.toContain('<!-- inline:style -->');
    expect(html).toMatch(/<script>\n/);
    expect(html).toMatch(/<style>\n/);
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?(https?:)?\/\//i);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
  });

  it('uses no Apps Script service in the browser (google.script.run only)', () => {
    const script = /<script>\n([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    for (const name of ['SpreadsheetApp', 'PropertiesService', 'UrlFetchApp', 'HtmlService', 'CacheService'])
      expect(script).not.toContain(name);
    expect(script).toContain('google');
  });
});
