import { AffinityEmulator } from '../../tools/emulator/emulator';
import { generateSeed } from '../../tools/emulator/generate';
import { LIST, errorOf, get } from './helpers';

const base = generateSeed({ entries: 5 });
const T0 = Date.UTC(2026, 10, 20, 12, 0, 0);

function emulator(rateLimit: { perMinute?: number; perMonth?: number | null }) {
  let now = T0;
  const em = new AffinityEmulator({ ...base, rateLimit }, { clock: () => now });
  return { em, advance: (ms: number) => (now += ms) };
}

test('per-user minute window: headers count down, 429 when spent, reset after 60 s from the first request', () => {
  const { em, advance } = emulator({ perMinute: 3 });
  const first = get(em, `/v2/lists/${LIST}`);
  expect(first.headers).toMatchObject({
    'x-ratelimit-limit-user': '3',
    'x-ratelimit-limit-user-remaining': '2',
    'x-ratelimit-limit-user-reset': '60',
  });
  expect(first.headers['x-ratelimit-limit-org']).toBeUndefined();
  advance(20_000);
  expect(get(em, `/v2/lists/${LIST}`).headers['x-ratelimit-limit-user-reset']).toBe('40');
  expect(get(em, `/v2/lists/${LIST}`).headers['x-ratelimit-limit-user-remaining']).toBe('0');
  const limited = get(em, `/v2/lists/${LIST}`);
  expect(limited.status).toBe(429);
  expect(errorOf(limited).code).toBe('rate-limit');
  expect(limited.headers).toMatchObject({
    'x-ratelimit-limit-user-remaining': '0',
    'x-ratelimit-limit-user-reset': '40',
  });
  advance(39_999);
  expect(get(em, `/v2/lists/${LIST}`).status).toBe(429);
  advance(1);
  const after = get(em, `/v2/lists/${LIST}`);
  expect(after.status).toBe(200);
  expect(after.headers['x-ratelimit-limit-user-remaining']).toBe('2');
});

test('the x-emulator-now header sets the clock of a request', () => {
  const { em } = emulator({ perMinute: 1 });
  expect(get(em, '/v2/auth/whoami', { headers: { 'x-emulator-now': String(T0 + 1_000_000) } }).status).toBe(200);
  expect(get(em, '/v2/auth/whoami', { headers: { 'x-emulator-now': String(T0 + 1_030_000) } }).status).toBe(429);
  expect(get(em, '/v2/auth/whoami', { headers: { 'x-emulator-now': String(T0 + 1_060_000) } }).status).toBe(200);
  expect(em.requests.map((r) => r.at)).toEqual([T0 + 1_000_000, T0 + 1_030_000, T0 + 1_060_000]);
});

test('the window is per user: every key of a user shares it, other users have their own', () => {
  const whoami = base.users[0].whoami;
  const seed = {
    ...base,
    rateLimit: { perMinute: 1 },
    users: [
      ...base.users,
      { apiKey: 'second-key-same-user', whoami },
      { apiKey: 'other-user', whoami: { ...whoami, user: { ...whoami.user, id: 5 } } },
    ],
  };
  const em = new AffinityEmulator(seed, { clock: () => T0 });
  expect(get(em, '/v2/auth/whoami').status).toBe(200);
  expect(get(em, '/v2/auth/whoami', { key: 'second-key-same-user' }).status).toBe(429);
  expect(get(em, '/v2/auth/whoami', { key: 'other-user' }).status).toBe(200);
});

test('monthly org quota: -org headers only when set, 429 when spent, resets with the calendar month', () => {
  const { em, advance } = emulator({ perMinute: 100, perMonth: 2 });
  const res = get(em, `/v2/lists/${LIST}`);
  const toNextMonth = (Date.UTC(2026, 11, 1) - T0) / 1000;
  expect(res.headers).toMatchObject({
    'x-ratelimit-limit-org': '2',
    'x-ratelimit-limit-org-remaining': '1',
    'x-ratelimit-limit-org-reset': String(toNextMonth),
  });
  // whoami and rate-limit do not spend the monthly quota
  const usage = get(em, '/v2/rate-limit').json;
  expect(usage).toEqual({
    callerPerMinute: { limit: 100, remaining: 98, reset: 60, used: 2 },
    orgPerMonth: { limit: 2, remaining: 1, reset: toNextMonth, used: 1 },
  });
  expect(get(em, `/v2/lists/${LIST}`).status).toBe(200);
  const spent = get(em, `/v2/lists/${LIST}`);
  expect(spent.status).toBe(429);
  expect(spent.headers['x-ratelimit-limit-org-remaining']).toBe('0');
  expect(get(em, '/v2/auth/whoami').status).toBe(200);
  advance(toNextMonth * 1000);
  expect(get(em, `/v2/lists/${LIST}`).status).toBe(200);
});

test('rate-limit endpoint without a monthly quota', () => {
  const { em } = emulator({});
  expect(get(em, '/v2/rate-limit').json).toEqual({
    callerPerMinute: { limit: 900, remaining: 899, reset: 60, used: 1 },
  });
});
