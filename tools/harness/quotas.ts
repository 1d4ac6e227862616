/**
 * Daily quotas (per user, a window that starts at the first use and lasts 24 h of virtual time, as
 * Apps Script's "reset 24 hours after the first request").
 */
import type { Env } from './env';
import { ScriptError } from './errors';

export interface Quotas {
  /** URL Fetch calls per day (consumer: 20,000; Workspace: 100,000). */
  urlFetchPerDay: number;
  /** Properties reads/writes per day (consumer: 50,000; Workspace: 500,000). */
  propertiesPerDay: number;
  /** Total runtime of trigger-started executions per day (consumer: 90 min; Workspace: 6 h). */
  triggerRuntimePerDayMs: number;
}

export const DEFAULT_QUOTAS: Readonly<Quotas> = Object.freeze({
  urlFetchPerDay: 20_000,
  propertiesPerDay: 50_000,
  triggerRuntimePerDayMs: 90 * 60_000,
});

const DAY = 86_400_000;

type Kind = 'urlfetch' | 'properties' | 'triggerRuntime';

export class QuotaTracker {
  private readonly windows = new Map<string, { start: number; used: number }>();
  constructor(readonly limits: Quotas) {}

  private window(user: string, kind: Kind, now: number) {
    const k = `${user}\u0000${kind}`;
    let w = this.windows.get(k);
    if (!w || now - w.start >= DAY) {
      w = { start: now, used: 0 };
      this.windows.set(k, w);
    }
    return w;
  }

  /** Count `n` uses of a daily quota; throws Apps Script's error once it is exhausted. */
  use(env: Env, kind: 'urlfetch' | 'properties', n = 1): void {
    if (env.host) return;
    const limit = kind === 'urlfetch' ? this.limits.urlFetchPerDay : this.limits.propertiesPerDay;
    const w = this.window(env.user(), kind, env.now());
    if (w.used + n > limit) throw new ScriptError(`Service invoked too many times for one day: ${kind}.`);
    w.used += n;
  }

  used(user: string, kind: Kind, now: number): number {
    return this.window(user, kind, now).used;
  }

  addTriggerRuntime(user: string, now: number, ms: number): void {
    this.window(user, 'triggerRuntime', now).used += ms;
  }

  triggerRuntimeExhausted(user: string, now: number): boolean {
    return this.window(user, 'triggerRuntime', now).used >= this.limits.triggerRuntimePerDayMs;
  }
}

export const TRIGGER_RUNTIME_MESSAGE = 'Service using too much computer time for one day';
