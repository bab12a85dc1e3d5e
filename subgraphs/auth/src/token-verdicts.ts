/** What presenting a refresh token leads to. */
export type RefreshVerdict = "rotate" | "unknown" | "revoked" | "reused" | "expired";

export interface PresentedRefreshToken {
  token: { usedAt: Date | null; expiresAt: Date };
  session: { revokedAt: Date | null };
}

/**
 * A session is a family of refresh tokens, each used once. A token already used means two
 * holders have it (one of them a thief): the whole family is revoked ("reused"). A signed-out
 * session stays signed out, whichever of its tokens comes back.
 */
export function refreshVerdict(found: PresentedRefreshToken | undefined, now: Date): RefreshVerdict {
  if (!found) return "unknown";
  if (found.session.revokedAt) return "revoked";
  if (found.token.usedAt) return "reused";
  if (found.token.expiresAt.getTime() <= now.getTime()) return "expired";
  return "rotate";
}

/** What presenting a reset or verification token leads to. */
export type OneTimeTokenVerdict = "valid" | "invalid" | "expired";

/** Single use and expiring: a used token is as good as an unknown one. */
export function oneTimeTokenVerdict(
  found: { usedAt: Date | null; expiresAt: Date } | undefined,
  now: Date,
): OneTimeTokenVerdict {
  if (!found || found.usedAt) return "invalid";
  if (found.expiresAt.getTime() <= now.getTime()) return "expired";
  return "valid";
}
