// The yearly limit on new associations (seed 004 FAQ 6: "an MCP individual has a limited number
// of associations allowed each year … the date in their profile shows when they can start a
// new association"), as pure functions of the recent association times.
export interface LinkPolicy {
  /** At most this many new associations per rolling window; null: no limit. */
  maxNewLinks: number | null;
  /** The rolling window (default 365 days). */
  windowMs: number;
}

export const YEAR_MS = 365 * 86_400_000;

export const DEFAULT_MCID_POLICY: LinkPolicy = { maxNewLinks: 3, windowMs: YEAR_MS };
export const NO_LIMIT_POLICY: LinkPolicy = { maxNewLinks: null, windowMs: YEAR_MS };

/** The associations still inside the window at `now`, oldest first. */
export function recentAssociations(history: readonly Date[] | undefined, now: Date, policy: LinkPolicy): Date[] {
  const since = now.getTime() - policy.windowMs;
  return [...(history ?? [])].filter((d) => d.getTime() > since).sort((a, b) => a.getTime() - b.getTime());
}

/**
 * When a new association may start: null if it may start now, else the moment the oldest
 * association that still counts leaves the window.
 */
export function nextAllowedAt(history: readonly Date[] | undefined, now: Date, policy: LinkPolicy): Date | null {
  if (policy.maxNewLinks === null) return null;
  const recent = recentAssociations(history, now, policy);
  if (recent.length < policy.maxNewLinks) return null;
  const freeing = recent[recent.length - policy.maxNewLinks];
  return new Date(freeing.getTime() + policy.windowMs);
}

/** The history to store after a new association at `now`: only what the limit can still need. */
export function withAssociation(history: readonly Date[] | undefined, now: Date, policy: LinkPolicy): Date[] {
  const keep = Math.max(1, policy.maxNewLinks ?? 1);
  return [...recentAssociations(history, now, policy), now].slice(-keep);
}

/** "3 March 2027": dates in messages are days, in UTC like every date the bot stores. */
export function formatDay(date: Date): string {
  return date.toLocaleDateString('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}
