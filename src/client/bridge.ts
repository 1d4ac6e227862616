/**
 * A typed promise bridge over `google.script.run`. The types come from the server's entry points
 * (src/server/main.ts) by `import type` only: nothing of the server is bundled into the page.
 *
 *   const state = await bridge.getSettingsState();        // SettingsState
 *   await bridge.bindTab(listId, viewId, null);           // PullSummary; argument types checked too
 *
 * google.script.run carries plain data only (no Dates, functions or class instances) and runs each call as its own
 * server execution, in parallel with the others; a thrown error arrives as a failure with its message.
 */
import type * as Server from '../server/main';

type Entry = typeof Server;
/** The server's callable entry points (functions whose names end in "_" are private to the server). */
export type ServerFunction = {
  [K in keyof Entry]: Entry[K] extends (...args: never[]) => unknown ? (K extends `${string}_` ? never : K) : never;
}[keyof Entry];

type Fn<K extends ServerFunction> = Entry[K] extends (...args: infer A) => infer R ? { args: A; result: R } : never;
/** Optional trailing parameters may be sent as null (google.script.run turns undefined into null). */
type Wire<A extends unknown[]> = { [I in keyof A]: undefined extends A[I] ? A[I] | null : A[I] };

export type Bridge = {
  [K in ServerFunction]: (...args: Wire<Fn<K>['args']>) => Promise<Awaited<Fn<K>['result']>>;
};

interface ScriptRun {
  withSuccessHandler(fn: (value: unknown) => void): ScriptRun;
  withFailureHandler(fn: (error: unknown) => void): ScriptRun;
  [name: string]: unknown;
}

declare global {
  interface Window {
    google?: { script?: { run?: ScriptRun } };
  }
}

/** A failed server call, with a message written for the user. */
export class ServerError extends Error {
  constructor(
    message: string,
    readonly fn: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

/** The message of whatever google.script.run handed the failure handler, without Apps Script's type prefixes. */
export function failureMessage(error: unknown): string {
  const raw =
    error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)
      ? String(error.message)
      : String(error ?? '');
  const text = raw.replace(/^(Exception|Error|ScriptError|AffinityError|TypeError):\s*/, '').trim();
  if (!text || /^NetworkError\b/i.test(text) || /connection failure/i.test(text)) {
    return 'Could not reach Google to run this. Check your internet connection, then try again.';
  }
  return text;
}

export function createBridge(runner: () => ScriptRun | undefined = () => window.google?.script?.run): Bridge {
  const call = (fn: string, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const run = runner();
      if (!run) {
        reject(new ServerError('This panel only works inside Google Sheets (Extensions › Affinity).', fn));
        return;
      }
      const target = run
        .withSuccessHandler(resolve)
        .withFailureHandler((e) => reject(new ServerError(failureMessage(e), fn)));
      const method = target[fn];
      if (typeof method !== 'function') {
        reject(new ServerError(`The server has no function ${fn}.`, fn));
        return;
      }
      (method as (...a: unknown[]) => void).apply(
        target,
        args.map((a) => (a === undefined ? null : a)),
      );
    });
  return new Proxy({} as Bridge, {
    get: (_target, name) => (typeof name === 'string' ? (...args: unknown[]) => call(name, args) : undefined),
  });
}
