/**
 * A deliberately divergent Affinity: the emulator with each assumption it makes about Affinity turned the other way
 * (`new AffinityEmulator(seed, { divergent: true })`). It exists to prove that `npm run verify-live` tells each
 * difference apart (test/verify/verifyLive.test.ts); the product is never tested against it. What changes:
 * rows are sparse (see EmulatorOptions.rows), the version is not echoed, the rate-limit headers carry other names,
 * error bodies are `{"message"}`, the columns endpoint answers a bare array, and through Nango every reply keeps every
 * upstream header unchanged (successful ones too).
 */
import type { EmulatorResponse } from './emulator';

const RENAMED: Record<string, string> = {
  'x-ratelimit-limit-user': 'x-ratelimit-limit',
  'x-ratelimit-limit-user-remaining': 'x-ratelimit-remaining',
  'x-ratelimit-limit-user-reset': 'x-ratelimit-reset',
};

export function divergentResponse(path: string, via: 'direct' | 'nango', res: EmulatorResponse): EmulatorResponse {
  const headers: Record<string, string> = {};
  // Through Nango: every upstream header kept, as they are (successful replies too).
  if (via === 'nango') Object.assign(headers, res.headers);
  else
    for (const [k, v] of Object.entries(res.headers)) {
      if (k === 'x-affinity-api-version') continue;
      if (k.startsWith('x-ratelimit-limit-org')) continue;
      headers[RENAMED[k] ?? k] = v;
    }
  let body = res.body;
  try {
    const parsed = JSON.parse(body) as { errors?: { message: string }[]; data?: unknown };
    if (res.status >= 400 && Array.isArray(parsed.errors))
      body = JSON.stringify({ message: parsed.errors[0]?.message });
    else if (res.status === 200 && /\/saved-views\/\d+\/columns$/.test(path)) body = JSON.stringify(parsed.data);
  } catch {
    // not JSON: left as it is
  }
  return { ...res, headers, body };
}
