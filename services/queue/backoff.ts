// Exponential backoff with "equal jitter": half the delay is fixed, half random, so retries of
// many items that failed together spread out but never come back sooner than half the step.
export interface BackoffOptions {
  /** Delay after the first failure, in ms. */
  baseMs: number;
  /** Upper bound of any single delay, in ms. */
  maxMs: number;
}

/** Delay before the next try after `attempt` failed tries (attempt ≥ 1). */
export function backoffDelay(attempt: number, options: BackoffOptions, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const step = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
}
