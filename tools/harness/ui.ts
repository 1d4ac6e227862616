/** SpreadsheetApp.getUi(): menus, alerts, prompts, sidebars, dialogs (recorded; responses scriptable). */
import { ApiObject, type ClassMeta, enumName } from './api-base';
import type { Env } from './env';
import { ScriptError } from './errors';
import { HtmlOutputApi } from './html';

export interface MenuItemRecord {
  caption: string;
  fn: string;
}
export type MenuEntry =
  | { type: 'item'; caption: string; fn: string }
  | { type: 'separator' }
  | { type: 'submenu'; caption: string; entries: MenuEntry[] };
export interface MenuRecord {
  name: string;
  /** Every item, including those in submenus, in order. */
  items: MenuItemRecord[];
  /** The menu as built (items, separators, submenus). */
  entries: MenuEntry[];
  addon: boolean;
}
export interface AlertRecord {
  kind: 'alert' | 'prompt';
  title: string;
  prompt: string;
  buttons: string;
  /** Button the (simulated) user pressed. */
  response: string;
  /** Text typed into a prompt. */
  responseText?: string;
  at: number;
}
export interface SidebarRecord {
  title: string;
  html: string;
  at: number;
}
export interface DialogRecord {
  title: string;
  html: string;
  modal: boolean;
  width: number;
  height: number;
  at: number;
}
export interface ToastRecord {
  message: string;
  title: string;
  timeoutSeconds: number;
  at: number;
}

export class UiState {
  menus: MenuRecord[] = [];
  alerts: AlertRecord[] = [];
  sidebars: SidebarRecord[] = [];
  dialogs: DialogRecord[] = [];
  toasts: ToastRecord[] = [];
  readonly alertResponses: string[] = [];
  readonly promptResponses: { text: string; button: string }[] = [];
  /** The next alert() gets this button instead of the default (OK, or YES for YES_NO sets). */
  respondToNextAlert(button: string): void {
    this.alertResponses.push(String(button));
  }
  /** The next prompt() gets this text and button (default button OK). */
  respondToNextPrompt(text: string, button = 'OK'): void {
    this.promptResponses.push({ text, button: String(button) });
  }
}

const BUTTONS: Record<string, string[]> = {
  OK: ['OK'],
  OK_CANCEL: ['OK', 'CANCEL'],
  YES_NO: ['YES', 'NO'],
  YES_NO_CANCEL: ['YES', 'NO', 'CANCEL'],
};

function parseDialogArgs(args: unknown[], defaultSet: string): { title: string; prompt: string; buttons: string } {
  if (args.length >= 3)
    return { title: String(args[0]), prompt: String(args[1]), buttons: enumName(args[2]) || defaultSet };
  if (args.length === 2) return { title: '', prompt: String(args[0]), buttons: enumName(args[1]) || defaultSet };
  if (args.length === 1) return { title: '', prompt: String(args[0]), buttons: defaultSet };
  throw new ScriptError("The parameters () don't match the method signature for Ui.alert.");
}

export class UiApi extends ApiObject {
  static override meta: ClassMeta = {
    service: 'SpreadsheetApp',
    name: 'Ui',
    costAs: 'Ui',
    enums: { ButtonSet: 'ButtonSet', Button: 'Button' },
  };
  createMenu(caption: string): MenuApi {
    return new MenuApi(this.env, String(caption), false);
  }
  createAddonMenu(): MenuApi {
    return new MenuApi(this.env, 'Extensions', true);
  }
  alert(...args: unknown[]): unknown {
    const { title, prompt, buttons } = parseDialogArgs(args, 'OK');
    const allowed = BUTTONS[buttons] ?? ['OK'];
    const response = this.env.state.ui.alertResponses.shift() ?? allowed[0];
    this.env.state.ui.alerts.push({ kind: 'alert', title, prompt, buttons, response, at: this.env.now() });
    return this.env.enumValue('Button', response);
  }
  prompt(...args: unknown[]): PromptResponseApi {
    const { title, prompt, buttons } = parseDialogArgs(args, 'OK');
    const allowed = BUTTONS[buttons] ?? ['OK'];
    const queued = this.env.state.ui.promptResponses.shift();
    const response = queued ?? {
      text: '',
      button: allowed.includes('CANCEL') ? 'CANCEL' : allowed.includes('NO') ? 'NO' : 'CLOSE',
    };
    this.env.state.ui.alerts.push({
      kind: 'prompt',
      title,
      prompt,
      buttons,
      response: response.button,
      responseText: response.text,
      at: this.env.now(),
    });
    return new PromptResponseApi(this.env, response.text, response.button);
  }
  showSidebar(userInterface: HtmlOutputApi): void {
    if (!(userInterface instanceof HtmlOutputApi)) throw new ScriptError('Invalid argument: userInterface');
    this.env.state.ui.sidebars.push({ title: userInterface._title, html: userInterface._content, at: this.env.now() });
  }
  showModalDialog(userInterface: HtmlOutputApi, title: string): void {
    this._dialog(userInterface, title, true);
  }
  showModelessDialog(userInterface: HtmlOutputApi, title: string): void {
    this._dialog(userInterface, title, false);
  }
  showDialog(userInterface: HtmlOutputApi): void {
    this._dialog(userInterface, userInterface._title, true);
  }
  private _dialog(ui: HtmlOutputApi, title: string, modal: boolean): void {
    if (!(ui instanceof HtmlOutputApi)) throw new ScriptError('Invalid argument: userInterface');
    this.env.state.ui.dialogs.push({
      title: String(title ?? ''),
      html: ui._content,
      modal,
      width: ui._width,
      height: ui._height,
      at: this.env.now(),
    });
  }
}

export class MenuApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'Menu', costAs: 'Ui' };
  readonly _entries: MenuEntry[] = [];
  constructor(
    env: Env,
    readonly _caption: string,
    readonly _addon: boolean,
  ) {
    super(env);
  }
  addItem(caption: string, functionName: string): MenuApi {
    if (typeof functionName !== 'string' || functionName === '')
      throw new ScriptError('Invalid argument: functionName');
    this._entries.push({ type: 'item', caption: String(caption), fn: functionName });
    return this;
  }
  addSeparator(): MenuApi {
    this._entries.push({ type: 'separator' });
    return this;
  }
  addSubMenu(menu: MenuApi): MenuApi {
    if (!(menu instanceof MenuApi)) throw new ScriptError('Invalid argument: menu');
    this._entries.push({ type: 'submenu', caption: menu._caption, entries: menu._entries });
    return this;
  }
  addToUi(): void {
    const items: MenuItemRecord[] = [];
    const walk = (es: MenuEntry[]) => {
      for (const e of es) {
        if (e.type === 'item') items.push({ caption: e.caption, fn: e.fn });
        else if (e.type === 'submenu') walk(e.entries);
      }
    };
    walk(this._entries);
    const ui = this.env.state.ui;
    const rec: MenuRecord = { name: this._caption, items, entries: structuredClone(this._entries), addon: this._addon };
    const i = ui.menus.findIndex((m) => m.name === rec.name);
    if (i >= 0) ui.menus[i] = rec;
    else ui.menus.push(rec);
  }
}

export class PromptResponseApi extends ApiObject {
  static override meta: ClassMeta = { service: 'SpreadsheetApp', name: 'PromptResponse', costAs: 'Ui' };
  constructor(
    env: Env,
    private readonly _text: string,
    private readonly _button: string,
  ) {
    super(env);
  }
  getResponseText(): string {
    return this._text;
  }
  getSelectedButton(): unknown {
    return this.env.enumValue('Button', this._button);
  }
}
