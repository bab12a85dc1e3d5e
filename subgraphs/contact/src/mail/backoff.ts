/**
 * How long to wait before delivery attempt `failedAttempts + 1`: the base delay doubled for each
 * failure so far, capped, so an outage of hours costs a few attempts per hour, not thousands.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number): number {
  if (!Number.isInteger(failedAttempts) || failedAttempts < 1) return 0;
  // 2^31 already exceeds any sensible cap; stopping there keeps the number finite.
  return Math.min(baseMs * 2 ** Math.min(failedAttempts - 1, 31), maxMs);
}
