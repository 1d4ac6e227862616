/** The usage ledger behind the Status section: UrlFetch calls in the quota window, Affinity's last rate-limit headers. */
import { UsageLedger, USAGE_PROPERTY } from '../../src/server/sync/usage';
import type { HttpResponse, KeyValueStore } from '../../src/server/ports';

function memoryStore(): KeyValueStore & { map: Map<string, string>; writes: number } {
  const map = new Map<string, string>();
  const store = {
    map,
    writes: 0,
    get: (k: string) => map.get(k) ?? null,
    set: (k: string, v: string) => {
      store.writes++;
      map.set(k, v);
    },
    delete: (k: string) => void map.delete(k),
    keys: () => [...map.keys()],
  };
  return store;
}

const HOUR = 3_600_000;
const ok = (headers: Record<string, string> = {}): HttpResponse => ({ status: 200, headers, body: '{}' });
const limits = (remaining: number, org?: number) => ({
  'x-ratelimit-limit-user': '900',
  'x-ratelimit-limit-user-remaining': String(remaining),
  'x-ratelimit-limit-user-reset': '42',
  ...(org === undefined
    ? {}
    : {
        'x-ratelimit-limit-org': '100000',
        'x-ratelimit-limit-org-remaining': String(org),
        'x-ratelimit-limit-org-reset': '86400',
      }),
});

describe('UsageLedger', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('counts calls in a window of 24 h from its first call, across executions', () => {
    const store = memoryStore();
    const first = new UsageLedger(() => store, clock);
    first.record(1, [ok()], now);
    first.record(3, [ok(), ok(), ok()]);
    // Another execution (a new ledger object) adds to the same window.
    now += 5 * HOUR;
    const second = new UsageLedger(() => store, clock);
    second.record(2, [ok(), ok()]);
    expect(second.status().urlFetch).toEqual({
      used: 6,
      since: 1_000_000,
      consumerLimit: 20_000,
      workspaceLimit: 100_000,
    });
    now = 1_000_000 + 24 * HOUR;
    expect(second.status().urlFetch).toMatchObject({ used: 0, since: null });
    second.record(1, [ok()]);
    expect(second.status().urlFetch).toMatchObject({ used: 1, since: now });
  });

  it('keeps the newest rate-limit headers, and Affinity’s monthly quota when it reports one', () => {
    const store = memoryStore();
    const ledger = new UsageLedger(() => store, clock);
    expect(ledger.status().affinity).toBeNull();
    ledger.record(2, [ok(limits(890, 99_000)), ok(limits(889, 98_999))]);
    expect(ledger.status().affinity).toEqual({
      perMinuteLimit: 900,
      perMinuteRemaining: 889,
      perMinuteResetSec: 42,
      monthlyLimit: 100_000,
      monthlyRemaining: 98_999,
      monthlyResetSec: 86_400,
      observedAt: now,
    });
    // A response without the headers (a network failure, Nango's own error) keeps the last reading.
    ledger.record(1, [{ status: 0, headers: {}, body: '', error: 'reset' }]);
    expect(ledger.status().affinity?.perMinuteRemaining).toBe(889);
    now += 1000;
    ledger.record(1, [ok(limits(700))]);
    expect(ledger.status().affinity).toMatchObject({ perMinuteRemaining: 700, observedAt: now });
    expect(ledger.status().affinity?.monthlyLimit).toBeUndefined();
  });

  it('while deferred (a long pull), writes in batches, then flushes everything at the end', () => {
    const store = memoryStore();
    const ledger = new UsageLedger(() => store, clock);
    ledger.deferWhile(() => {
      for (let i = 0; i < 100; i++) ledger.record(1, [ok(limits(800 - i))]);
    });
    expect(store.writes).toBeLessThanOrEqual(5);
    expect(JSON.parse(store.map.get(USAGE_PROPERTY)!)).toMatchObject({ count: 100, rate: { perMinuteRemaining: 701 } });
    // Outside a pull, each batch is written at once (an execution may end any time).
    const before = store.writes;
    ledger.record(1, [ok()]);
    expect(store.writes).toBe(before + 1);
  });

  it('never fails the sync: a store that throws, or a spoiled value, is shrugged off', () => {
    const broken: KeyValueStore = {
      get: () => {
        throw new Error('Service invoked too many times');
      },
      set: () => {
        throw new Error('Service invoked too many times');
      },
      delete: () => undefined,
      keys: () => [],
    };
    const ledger = new UsageLedger(() => broken, clock);
    expect(() => ledger.record(1, [ok()])).not.toThrow();
    expect(ledger.status().urlFetch.used).toBe(0);
    const store = memoryStore();
    store.map.set(USAGE_PROPERTY, '{not json');
    const again = new UsageLedger(() => store, clock);
    again.record(2, [ok(), ok()]);
    expect(again.status().urlFetch.used).toBe(2);
  });

  it('in Nango mode (no rate-limit headers on successful replies) reads the limits from GET /v2/rate-limit bodies', () => {
    const store = memoryStore();
    const ledger = new UsageLedger(() => store, clock);
    const get = (url: string) => ({ url, method: 'get' as const, headers: {} });
    const usage = (remaining: number): HttpResponse => ({
      status: 200,
      headers: {},
      body: JSON.stringify({
        callerPerMinute: { limit: 900, remaining, reset: 30, used: 900 - remaining },
        orgPerMonth: { limit: 100000, remaining: 99000, reset: 86400, used: 1000 },
      }),
    });
    // The same body from another endpoint is no reading; a usage reading is.
    ledger.record(1, [usage(1)], now, [get('https://api.nango.dev/proxy/v2/lists')]);
    expect(ledger.status().affinity).toBeNull();
    ledger.record(2, [ok(), usage(880)], now, [
      get('https://api.nango.dev/proxy/v2/lists'),
      get('https://api.nango.dev/proxy/v2/rate-limit'),
    ]);
    expect(ledger.status().affinity).toMatchObject({
      perMinuteLimit: 900,
      perMinuteRemaining: 880,
      perMinuteResetSec: 30,
      monthlyLimit: 100000,
      monthlyRemaining: 99000,
    });
    // A failed reading (an older API version without the endpoint) leaves the last one.
    ledger.record(1, [{ status: 404, headers: {}, body: '{"errors":[]}' }], now, [
      get('https://api.affinity.co/v2/rate-limit'),
    ]);
    expect(ledger.status().affinity).toMatchObject({ perMinuteRemaining: 880 });
  });
});
