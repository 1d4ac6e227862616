/**
 * A small ledger of what the script spends, for the settings panel's Status section:
 *  - UrlFetch calls, against Apps Script's daily quota (per user; it resets 24 h after the window's first call, so
 *    the ledger keeps a rolling 24 h window from its first counted call);
 *  - Affinity's limits as last seen (per-minute and, on plans that have one, monthly remaining): from the rate-limit
 *    headers, or, in Nango mode (Nango drops those headers from successful replies), from the body of the client's
 *    own `GET /v2/rate-limit` readings (affinity/client.ts); no request is made for the ledger.
 * The HTTP adapter (gas/platform.ts) records every request it sends, whoever sends it (pull, push, connect...).
 * Stored as one JSON value in the user's properties. Writes are read-modify-write so that two executions running at
 * once lose little; during a long pull they are batched (`deferWhile`) and flushed at the end.
 */
import { rateLimitFromHeaders } from '../affinity/client';
import type { AffinityLimits, UsageStatus } from '../../shared/settings';
import type { RateLimitUsage } from '../affinity/types';
import type { HttpRequest, HttpResponse, KeyValueStore } from '../ports';

export const USAGE_PROPERTY = 'affinity.usage';
export const URLFETCH_CONSUMER_LIMIT = 20_000;
export const URLFETCH_WORKSPACE_LIMIT = 100_000;
const WINDOW_MS = 24 * 60 * 60 * 1000;
/** While deferred, flush after this many calls or this long. */
const DEFER_CALLS = 25;
const DEFER_MS = 15_000;

interface Stored {
  /** Epoch ms of the window's first call. */
  since: number;
  count: number;
  rate?: AffinityLimits;
}

function read(store: KeyValueStore): Stored | null {
  const raw = store.get(USAGE_PROPERTY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Stored;
    if (typeof v.since === 'number' && typeof v.count === 'number') return v;
  } catch {
    // unreadable: start again
  }
  return null;
}

/** Whether a request is Affinity's usage endpoint, directly or through a proxy (`…/v2/rate-limit`). */
const USAGE_PATH = /\/v2\/rate-limit(\?|$)/;

/** The limits in a `GET /v2/rate-limit` body (null when it is not one). */
function limitsOfBody(body: string, at: number): AffinityLimits | null {
  try {
    const u = JSON.parse(body) as Partial<RateLimitUsage>;
    const minute = u.callerPerMinute;
    if (!minute || typeof minute.limit !== 'number') return null;
    const month = u.orgPerMonth;
    return {
      perMinuteLimit: minute.limit,
      perMinuteRemaining: minute.remaining,
      perMinuteResetSec: minute.reset,
      monthlyLimit: month?.limit,
      monthlyRemaining: month?.remaining,
      monthlyResetSec: month?.reset,
      observedAt: at,
    };
  } catch {
    return null;
  }
}

/**
 * Affinity's limits in a batch of responses: the last response that carried any, in its rate-limit headers or, for
 * a successful `GET /v2/rate-limit` (`requests` tells which), in its body.
 */
export function limitsIn(
  responses: HttpResponse[],
  at: number,
  requests?: readonly HttpRequest[],
): AffinityLimits | null {
  for (let i = responses.length - 1; i >= 0; i--) {
    const r = rateLimitFromHeaders(responses[i].headers ?? {});
    if (Object.keys(r).length === 0) {
      const req = requests?.[i];
      const usage =
        req && req.method.toLowerCase() === 'get' && responses[i].status === 200 && USAGE_PATH.test(req.url)
          ? limitsOfBody(responses[i].body, at)
          : null;
      if (usage) return usage;
      continue;
    }
    return {
      perMinuteLimit: r.userLimit,
      perMinuteRemaining: r.userRemaining,
      perMinuteResetSec: r.userResetSec,
      monthlyLimit: r.orgLimit,
      monthlyRemaining: r.orgRemaining,
      monthlyResetSec: r.orgResetSec,
      observedAt: at,
    };
  }
  return null;
}

export class UsageLedger {
  private pendingCalls = 0;
  private pendingSince: number | null = null;
  private pendingRate: AffinityLimits | null = null;
  private deferDepth = 0;
  private lastFlush = 0;

  constructor(
    private readonly store: () => KeyValueStore,
    private readonly now: () => number,
  ) {}

  /**
   * Counts `calls` UrlFetch calls sent at `sentAt` and keeps the limits their responses carry. Never throws.
   */
  record(calls: number, responses: HttpResponse[], sentAt?: number, requests?: readonly HttpRequest[]): void {
    if (calls <= 0) return;
    const at = this.now();
    if (this.pendingSince === null) this.pendingSince = sentAt ?? at;
    this.pendingCalls += calls;
    const rate = limitsIn(responses, at, requests);
    if (rate) this.pendingRate = rate;
    if (this.deferDepth > 0 && this.pendingCalls < DEFER_CALLS && at - this.lastFlush < DEFER_MS) return;
    this.flush();
  }

  /** Runs `fn` with writes batched, then flushes. */
  deferWhile<T>(fn: () => T): T {
    this.deferDepth++;
    if (this.deferDepth === 1) this.lastFlush = this.now();
    try {
      return fn();
    } finally {
      this.deferDepth--;
      if (this.deferDepth === 0) this.flush();
    }
  }

  /** Writes what is pending (read-modify-write). Never throws: the ledger must not fail a sync. */
  flush(): void {
    if (this.pendingCalls === 0 && !this.pendingRate) return;
    const at = this.now();
    try {
      const store = this.store();
      const stored = read(store);
      const first = this.pendingSince ?? at;
      let next: Stored;
      if (!stored || first - stored.since >= WINDOW_MS)
        next = { since: first, count: this.pendingCalls, rate: stored?.rate };
      else next = { since: stored.since, count: stored.count + this.pendingCalls, rate: stored.rate };
      if (this.pendingRate && (!next.rate || next.rate.observedAt <= this.pendingRate.observedAt))
        next.rate = this.pendingRate;
      store.set(USAGE_PROPERTY, JSON.stringify(next));
      this.pendingCalls = 0;
      this.pendingSince = null;
      this.pendingRate = null;
      this.lastFlush = at;
    } catch {
      // properties unavailable (quota, authorization): the count is only informative
    }
  }

  /** What the Status section shows. */
  status(): UsageStatus {
    this.flush();
    const stored = (() => {
      try {
        return read(this.store());
      } catch {
        return null;
      }
    })();
    const live = stored && this.now() - stored.since < WINDOW_MS;
    return {
      urlFetch: {
        used: live ? stored.count : 0,
        since: live ? stored.since : null,
        consumerLimit: URLFETCH_CONSUMER_LIMIT,
        workspaceLimit: URLFETCH_WORKSPACE_LIMIT,
      },
      affinity: stored?.rate ?? null,
    };
  }
}
