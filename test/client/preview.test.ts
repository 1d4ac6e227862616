/**
 * The "Preview changes…" dialog as built (dist/preview.html, from `npm run build`), run against a minimal DOM:
 * it renders the server's data as text only, shows the request cost, and pushes with the choices made.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vm from 'node:vm';
import type { PushPreview, PushSummary } from '../../src/shared/push';

class El {
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

function loadDialog(preview: PushPreview) {
  const html = readFileSync(join(__dirname, '../../dist/preview.html'), 'utf8');
  const script = /<script>\n([\s\S]*)<\/script>/.exec(html)![1];
  const byId: Record<string, El> = {
    content: new El('main'),
    cost: new El('p'),
    push: new El('button'),
    cancel: new El('button'),
  };
  const body = new El('body');
  body.dataset.sheetId = '123';
  const calls: { fn: string; args: unknown[] }[] = [];
  let closed = false;
  const runner = (): unknown => {
    let ok: (v: unknown) => void = () => undefined;
    const r: Record<string, unknown> = {
      withSuccessHandler: (f: (v: unknown) => void) => ((ok = f), r),
      withFailureHandler: () => r,
      previewPush: (...args: unknown[]) => {
        calls.push({ fn: 'previewPush', args });
        ok(preview);
      },
      pushTab: (...args: unknown[]) => {
        calls.push({ fn: 'pushTab', args });
        const summary: PushSummary = {
          tabName: 'Deals',
          policy: 'flag',
          sent: 2,
          failed: 0,
          alreadyInAffinity: 0,
          conflicts: 0,
          takenFromAffinity: 0,
          invalid: 1,
          notSent: 0,
          notSynced: 0,
          requests: { reads: 1, writes: 2, total: 3, batches: 2 },
          failures: [],
          message: 'Deals: 2 changes sent to Affinity.',
        };
        ok(summary);
      },
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
  vm.runInNewContext(script, { document, google, Number, Math, Set, Map, String, Array, Object, JSON });
  return { byId, calls, closed: () => closed };
}

const HOSTILE = '<img src=x onerror="alert(1)"> =HYPERLINK("x")';

const preview: PushPreview = {
  sheetId: 123,
  tabName: 'Deals',
  viewName: 'Active',
  policy: 'flag',
  policyLabel: 'Flag and skip',
  changes: [{ entryId: 1, entity: HOSTILE, field: 'Description', old: 'a', new: HOSTILE, overwrites: false }],
  conflicts: [
    {
      entryId: 2,
      columnId: 'field-9',
      entity: 'Beta',
      field: 'Stage',
      base: 'Seed',
      mine: 'Series A',
      affinity: 'Series B',
      outcome: 'skip',
    },
  ],
  invalid: [
    {
      entryId: 3,
      entity: 'Gamma',
      field: 'Round',
      value: 'Series Z',
      reason: '“Series Z” is not an option of Round. Choose one of: Seed, Series A.',
    },
  ],
  notSent: [],
  notSynced: [{ row: 9, reason: 'this row is not synced: it has no Affinity entry id.' }],
  alreadyInAffinity: 1,
  cost: { reads: 1, writes: 1, total: 2 },
};

describe('preview dialog', () => {
  it('asks for the tab named in the page and shows every value as text', () => {
    const { byId, calls } = loadDialog(preview);
    expect(calls[0]).toEqual({ fn: 'previewPush', args: [123] });
    const cells = byId.content.all('td').map((td) => td.textContent);
    expect(cells).toContain(HOSTILE);
    expect(cells).toContain(`${HOSTILE} (1)`);
    expect(cells).toEqual(
      expect.arrayContaining([
        'Seed',
        'Series A',
        'Series B',
        '“Series Z” is not an option of Round. Choose one of: Seed, Series A.',
        '9',
      ]),
    );
    expect(byId.content.all('h2').map((h) => h.textContent)).toEqual([
      'Changes to send (1)',
      'Conflicts (1)',
      'Values that cannot be sent as typed (1)',
      'Rows not synced (1)',
    ]);
    expect(byId.cost.textContent).toBe(
      'Pushing sends 1 change in 1 update request, after 1 read to check for conflicts: 2 requests to Affinity.',
    );
    expect(byId.push.disabled).toBe(false);
  });

  it('a conflict settled as "keep mine" adds to the cost and goes with the push', () => {
    const { byId, calls } = loadDialog(preview);
    const select = byId.content.all('select')[0];
    expect(select.value).toBe('skip');
    select.value = 'mine';
    select.fire('change');
    expect(byId.cost.textContent).toBe(
      'Pushing sends 2 changes in 2 update requests, after 1 read to check for conflicts: 3 requests to Affinity.',
    );
    byId.push.fire('click');
    expect(calls[1]).toEqual({
      fn: 'pushTab',
      args: [123, [{ entryId: 2, columnId: 'field-9', affinity: 'Series B', choice: 'mine' }]],
    });
    expect(byId.content.textContent).toContain('Deals: 2 changes sent to Affinity.');
    expect(byId.cancel.textContent).toBe('Close');
  });

  it('with nothing to send, Push is disabled; Cancel closes', () => {
    const empty: PushPreview = {
      ...preview,
      changes: [],
      conflicts: [],
      invalid: [],
      notSynced: [],
      alreadyInAffinity: 0,
      cost: { reads: 0, writes: 0, total: 0 },
    };
    const { byId, closed } = loadDialog(empty);
    expect(byId.content.textContent).toContain('No edits since the last pull.');
    expect(byId.push.disabled).toBe(true);
    byId.cancel.fire('click');
    expect(closed()).toBe(true);
  });
});
