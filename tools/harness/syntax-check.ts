/**
 * Apps Script's V8 runtime fails to parse some syntax that Node accepts: private class members
 * (#x) and static class fields/blocks (research notes, guides/v8-runtime). The harness refuses a
 * bundle that uses them, so a test fails where `clasp push` + run would. Uses the TypeScript
 * parser when it is installed (a dev dependency here); otherwise the check is skipped.
 */
import { createHash } from 'node:crypto';

export interface SyntaxProblem {
  line: number;
  column: number;
  what: string;
}

const cache = new Map<string, SyntaxProblem[]>();

export function unsupportedSyntax(code: string): SyntaxProblem[] {
  const key = createHash('sha1').update(code).digest('hex');
  const hit = cache.get(key);
  if (hit) return hit;
  let ts: typeof import('typescript');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ts = require('typescript');
  } catch {
    return [];
  }
  const sf = ts.createSourceFile('Code.js', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const out: SyntaxProblem[] = [];
  const at = (node: import('typescript').Node, what: string) => {
    const p = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ line: p.line + 1, column: p.character + 1, what });
  };
  const visit = (node: import('typescript').Node): void => {
    if (ts.isPrivateIdentifier(node)) at(node, `private class member ${node.text}`);
    else if (ts.isClassStaticBlockDeclaration(node)) at(node, 'static initialization block');
    else if (ts.isPropertyDeclaration(node) && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) {
      at(node, `static class field ${node.name.getText(sf)}`);
    }
    if (out.length < 20) ts.forEachChild(node, visit);
  };
  visit(sf);
  cache.set(key, out);
  return out;
}
