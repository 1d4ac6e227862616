/**
 * A minimal DOM for the dialogs' tests (test/client): elements with text, children, attributes and listeners. It
 * throws on innerHTML and insertAdjacentHTML, so a dialog that builds HTML from data fails its test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vm from 'node:vm';

export class El {
  children: El[] = [];
  className = '';
  style: Record<string, string> = {};
  value = '';
  selected = false;
  disabled = false;
  dataset: Record<string, string> = {};
  listeners: Record<string, (() => void)[]> = {};
  private text = '';
  constructor(readonly tagName: string) {}
  get textContent(): string {
    return this.text + this.children.map((c) => c.textContent).join('');
  }
  set textContent(v: string) {
    this.text = String(v);
    this.children = [];
  }
  set innerHTML(_: string) {
    throw new Error('innerHTML must not be used');
  }
  insertAdjacentHTML(): void {
    throw new Error('insertAdjacentHTML must not be used');
  }
  attributes: Record<string, string> = {};
  setAttribute(name: string, value: string): void {
    this.attributes[name] = String(value);
  }
  getAttribute(name: string): string | null {
    return this.attributes[name] ?? null;
  }
  get firstChild(): El | null {
    return this.children[0] ?? null;
  }
  insertBefore(c: El, before: El | null): El {
    const i = before ? this.children.indexOf(before) : -1;
    if (i < 0) this.children.push(c);
    else this.children.splice(i, 0, c);
    return c;
  }
  appendChild(c: El): El {
    this.children.push(c);
    if (this.tagName === 'select' && c.selected) this.value = c.value;
    if (this.tagName === 'select' && this.children.length === 1 && !this.value) this.value = c.value;
    return c;
  }
  append(...cs: El[]): void {
    for (const c of cs) this.appendChild(c);
  }
  addEventListener(type: string, fn: () => void): void {
    (this.listeners[type] ??= []).push(fn);
  }
  fire(type: string): void {
    for (const fn of this.listeners[type] ?? []) fn();
  }
  all(tag: string): El[] {
    return this.children.flatMap((c) => [...(c.tagName === tag ? [c] : []), ...c.all(tag)]);
  }
  querySelectorAll(tag: string): El[] {
    return this.all(tag);
  }
}

/**
 * Runs a built dialog page (dist/<page>.html, from `npm run build`) against the fake DOM: `ids` are the page's
 * elements, `server` answers its google.script.run calls (each call is recorded).
 */
export function runPage(
  page: string,
  ids: Record<string, string>,
  server: Record<string, (...args: unknown[]) => unknown>,
): { byId: Record<string, El>; calls: { fn: string; args: unknown[] }[]; closed: () => boolean } {
  const html = readFileSync(join(__dirname, `../../dist/${page}.html`), 'utf8');
  const script = /<script>\n([\s\S]*)<\/script>/.exec(html)![1];
  const byId: Record<string, El> = Object.fromEntries(Object.entries(ids).map(([id, tag]) => [id, new El(tag)]));
  const body = new El('body');
  body.dataset.sheetId = '123';
  const calls: { fn: string; args: unknown[] }[] = [];
  let closed = false;
  const runner = (): unknown => {
    let ok: (v: unknown) => void = () => undefined;
    const r: Record<string, unknown> = {
      withSuccessHandler: (f: (v: unknown) => void) => ((ok = f), r),
      withFailureHandler: () => r,
    };
    for (const [fn, answer] of Object.entries(server))
      r[fn] = (...args: unknown[]) => {
        calls.push({ fn, args });
        ok(answer(...args));
      };
    return r;
  };
  const google = {
    script: {
      get run() {
        return runner();
      },
      host: { close: () => (closed = true) },
    },
  };
  const document = { body, getElementById: (id: string) => byId[id], createElement: (tag: string) => new El(tag) };
  vm.runInNewContext(script, { document, google, Number, Math, Set, Map, String, Array, Object, JSON, RegExp });
  return { byId, calls, closed: () => closed };
}
