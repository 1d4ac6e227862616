/** How many PATCH requests the next fetchAll may carry, from Affinity's rate-limit headers. Pure. */
import type { RateLimitState } from '../../affinity/client';

export const MAX_PARALLEL_REQUESTS = 100;

/**
 * How many requests the next fetchAll may carry: never more than Affinity's per-minute remaining (nor the monthly
 * remaining, when the account has one); none when the minute is spent, with how long to wait for its reset.
 * `blocked` is set when only a new month would help.
 */
export function nextBatch(
  rate: RateLimitState,
  now: number,
  pending: number,
  maxParallel = MAX_PARALLEL_REQUESTS,
): { size: number; waitMs: number; blocked?: string } {
  let size = Math.min(pending, maxParallel);
  if (rate.orgRemaining !== undefined) {
    if (rate.orgRemaining <= 0) {
      return {
        size: 0,
        waitMs: 0,
        blocked:
          "Your Affinity account's monthly API quota is used up; the rest was not sent. Push again when it renews.",
      };
    }
    size = Math.min(size, rate.orgRemaining);
  }
  if (rate.userRemaining === undefined) return { size, waitMs: 0 };
  const resetAt = (rate.observedAt ?? now) + (rate.userResetSec ?? 60) * 1000;
  if (now >= resetAt) {
    return { size: Math.min(size, Math.max(1, rate.userLimit ?? size)), waitMs: 0 };
  }
  if (rate.userRemaining > 0) return { size: Math.min(size, rate.userRemaining), waitMs: 0 };
  return { size: 0, waitMs: Math.max(1000, resetAt - now + 500) };
}
