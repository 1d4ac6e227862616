/**
 * Builds the Apps Script project into dist/:
 *   dist/Code.js        the server bundle: an es2020 IIFE assigned to `AffinitySync`, followed by one real top-level
 *                       `function name(...args)` per export of src/server/main.ts (Apps Script resolves menu items,
 *                       triggers and google.script.run targets by top-level function name)
 *   dist/appsscript.json
 *   dist/<page>.html    each src/client/<page>.html with its bundled script and stylesheet inlined
 *
 * The entry names come from an ESM metafile build of the entry module, so they cannot drift from its exports.
 */
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..');
const dist = join(root, 'dist');
const entry = join(root, 'src/server/main.ts');
const GLOBAL_NAME = 'AffinitySync';

export async function entryPointNames(): Promise<string[]> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    target: 'es2020',
    write: false,
    metafile: true,
    outfile: join(dist, 'entry.mjs'),
    logLevel: 'silent',
  });
  const outputs = Object.values(result.metafile.outputs);
  const names = outputs.flatMap((o) => o.exports ?? []);
  for (const name of names) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new Error(`entry export ${name} is not a valid function name`);
  }
  return [...new Set(names)].sort();
}

/** `...args` forwards whatever Apps Script passes (event objects, RPC arguments). */
function wrapper(name: string): string {
  return `function ${name}(...args) {\n  return ${GLOBAL_NAME}.${name}(...args);\n}\n`;
}

async function buildServer(names: string[]): Promise<void> {
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    globalName: GLOBAL_NAME,
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    write: false,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
  });
  const bundle = result.outputFiles[0].text;
  const header = '// Built by scripts/build.ts from src/server; do not edit. Entry points follow the bundle.\n';
  // esbuild emits `var AffinitySync = (() => {...})();`: a global every wrapper below can reach.
  const code = header + bundle + '\n' + names.map(wrapper).join('\n');
  writeFileSync(join(dist, 'Code.js'), code);
}

async function buildPages(): Promise<string[]> {
  const clientDir = join(root, 'src/client');
  if (!existsSync(clientDir)) return [];
  const pages = readdirSync(clientDir).filter((f) => f.endsWith('.html'));
  for (const page of pages) {
    const base = page.replace(/\.html$/, '');
    let html = readFileSync(join(clientDir, page), 'utf8');
    const scriptEntry = join(clientDir, `${base}.ts`);
    if (existsSync(scriptEntry)) {
      const js = await esbuild.build({
        entryPoints: [scriptEntry],
        bundle: true,
        format: 'iife',
        target: 'es2020',
        write: false,
        minify: true,
        logLevel: 'warning',
      });
      // A literal "</script" inside the bundle would end the inline script early.
      const text = js.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
      html = html.replace('<!-- inline:script -->', () => `<script>\n${text}</script>`);
    }
    // `<!-- inline:style -->` inlines the page's own stylesheet; `<!-- inline:style other -->` another page's.
    html = html.replace(/<!-- inline:style(?: ([a-z]+))? -->/, (marker, other: string | undefined) => {
      const cssFile = join(clientDir, `${other ?? base}.css`);
      return existsSync(cssFile) ? `<style>\n${readFileSync(cssFile, 'utf8')}</style>` : marker;
    });
    writeFileSync(join(dist, page), html);
  }
  return pages;
}

export async function build(): Promise<{ entryPoints: string[]; pages: string[] }> {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  const names = await entryPointNames();
  await buildServer(names);
  writeFileSync(join(dist, 'appsscript.json'), readFileSync(join(root, 'appsscript.json')));
  const pages = await buildPages();
  return { entryPoints: names, pages };
}

if (require.main === module) {
  build().then(
    ({ entryPoints, pages }) => {
      console.log(
        `dist/Code.js: ${entryPoints.length} entry points (${entryPoints.join(', ')}); pages: ${pages.join(', ') || 'none'}`,
      );
    },
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
