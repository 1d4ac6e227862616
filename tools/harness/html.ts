/** HtmlService: HtmlOutput and a small HtmlTemplate (<?= ?>, <?!= ?>, <? ?> scriptlets). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject, type ClassMeta, enumName } from './api-base';
import type { Env } from './env';
import { ScriptError } from './errors';

export class HtmlServiceApi extends ApiObject {
  static override meta: ClassMeta = {
    service: 'HtmlService',
    name: '',
    enums: { SandboxMode: 'SandboxMode', XFrameOptionsMode: 'XFrameOptionsMode' },
  };
  createHtmlOutput(html?: unknown): HtmlOutputApi {
    const out = new HtmlOutputApi(this.env);
    if (html !== undefined && html !== null) out._content = blobText(this.env, html);
    return out;
  }
  createHtmlOutputFromFile(filename: string): HtmlOutputApi {
    const out = new HtmlOutputApi(this.env);
    out._content = readProjectHtml(this.env, filename);
    return out;
  }
  createTemplate(html: unknown): HtmlTemplateApi {
    return new HtmlTemplateApi(this.env, blobText(this.env, html));
  }
  createTemplateFromFile(filename: string): HtmlTemplateApi {
    return new HtmlTemplateApi(this.env, readProjectHtml(this.env, filename));
  }
}

function blobText(env: Env, v: unknown): string {
  const u = env.unwrap(v) as { getDataAsString?: () => string };
  if (u && typeof u === 'object' && typeof u.getDataAsString === 'function') return u.getDataAsString();
  return String(v);
}

function readProjectHtml(env: Env, filename: string): string {
  const name = String(filename).replace(/\.html$/, '');
  const file = path.join(env.state.htmlDir, `${name}.html`);
  if (!fs.existsSync(file)) throw new ScriptError(`No HTML file named ${name} was found.`);
  return fs.readFileSync(file, 'utf8');
}

export class HtmlOutputApi extends ApiObject {
  static override meta: ClassMeta = { service: 'HtmlService', name: 'HtmlOutput' };
  _content = '';
  _title = '';
  _width = 600;
  _height = 400;
  _sandbox = 'IFRAME';
  _xframe = 'DEFAULT';
  _faviconUrl: string | null = null;
  _meta: { name: string; content: string }[] = [];
  getContent(): string {
    return this._content;
  }
  setContent(content: string): HtmlOutputApi {
    this._content = String(content);
    return this;
  }
  append(addedContent: string): HtmlOutputApi {
    this._content += String(addedContent);
    return this;
  }
  appendUntrusted(addedContent: string): HtmlOutputApi {
    this._content += String(addedContent).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    return this;
  }
  clear(): HtmlOutputApi {
    this._content = '';
    return this;
  }
  getTitle(): string {
    return this._title;
  }
  setTitle(title: string): HtmlOutputApi {
    this._title = String(title);
    return this;
  }
  getWidth(): number {
    return this._width;
  }
  setWidth(width: number): HtmlOutputApi {
    this._width = Number(width);
    return this;
  }
  getHeight(): number {
    return this._height;
  }
  setHeight(height: number): HtmlOutputApi {
    this._height = Number(height);
    return this;
  }
  setSandboxMode(mode: unknown): HtmlOutputApi {
    this._sandbox = enumName(mode);
    return this;
  }
  getSandboxMode(): unknown {
    return this.env.enumValue('SandboxMode', this._sandbox);
  }
  setXFrameOptionsMode(mode: unknown): HtmlOutputApi {
    this._xframe = enumName(mode);
    return this;
  }
  setFaviconUrl(url: string): HtmlOutputApi {
    this._faviconUrl = String(url);
    return this;
  }
  getFaviconUrl(): string | null {
    return this._faviconUrl;
  }
  addMetaTag(name: string, content: string): HtmlOutputApi {
    this._meta.push({ name: String(name), content: String(content) });
    return this;
  }
}

export class HtmlTemplateApi extends ApiObject {
  static override meta: ClassMeta = { service: 'HtmlService', name: 'HtmlTemplate' };
  constructor(
    env: Env,
    private readonly _source: string,
  ) {
    super(env);
  }
  getRawContent(): string {
    return this._source;
  }
  getCode(): string {
    return compileTemplate(this._source);
  }
  /**
   * Evaluates scriptlets in the script's realm with the template's own properties (set by the
   * script on the template object) in scope, like Apps Script does.
   */
  evaluate(): HtmlOutputApi {
    const out = new HtmlOutputApi(this.env);
    const vars = (this as unknown as { _vars?: Record<string, unknown> })._vars ?? {};
    if (!this.env.evalInRealm) {
      out._content = this._source;
      return out;
    }
    const fn = this.env.evalInRealm(`(function (__vars) { with (__vars) { ${compileTemplate(this._source)} } })`) as (
      v: unknown,
    ) => string;
    out._content = String(fn(vars));
    return out;
  }
}

/** JS source (a function body) that builds the template's output. */
export function compileTemplate(src: string): string {
  let code = "var __out = '';\n";
  const re = /<\?(!?=)?([\s\S]*?)\?>/g;
  let last = 0;
  let m: RegExpExecArray | null;
  const esc =
    "function (s) { return String(s).replace(/[&<>\"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; }); }";
  code += `var __esc = ${esc};\n`;
  while ((m = re.exec(src))) {
    code += `__out += ${JSON.stringify(src.slice(last, m.index))};\n`;
    if (m[1] === '!=') code += `__out += (${m[2]});\n`;
    else if (m[1] === '=') code += `__out += __esc(${m[2]});\n`;
    else code += `${m[2]}\n`;
    last = re.lastIndex;
  }
  code += `__out += ${JSON.stringify(src.slice(last))};\nreturn __out;`;
  return code;
}
