import { and, eq, isNull } from "drizzle-orm";
import { refreshTokens, sessions, type SessionRow } from "./db/schema.js";
import { addDays } from "./clock.js";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-tokens.js";
import { refreshVerdict, type RefreshVerdict } from "./token-verdicts.js";
import type { AuthDb, AuthTx } from "./context.js";

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
}

/** A new refresh token in a session's family; only its hash is stored. */
export async function issueRefreshToken(
  tx: AuthDb | AuthTx,
  sessionId: string,
  expiresAt: Date,
  now: Date,
): Promise<IssuedRefreshToken> {
  const token = newOpaqueToken();
  await tx.insert(refreshTokens).values({ sessionId, tokenHash: hashOpaqueToken(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

export type RotationResult =
  | { ok: true; session: SessionRow; refreshToken: IssuedRefreshToken }
  | { ok: false; verdict: Exclude<RefreshVerdict, "rotate"> };

/**
 * Uses a refresh token once: marks it used and issues its successor, extending the session.
 * A token used before revokes its session (theft detection), committed even though the caller
 * gets an error. Rows are locked, so two concurrent uses of one token cannot both rotate it.
 */
export function rotateRefreshToken(db: AuthDb, presented: string, ttlDays: number, now: Date) {
  return db.transaction(async (tx): Promise<RotationResult> => {
    const [found] = await tx
      .select({ token: refreshTokens, session: sessions })
      .from(refreshTokens)
      .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
      .where(eq(refreshTokens.tokenHash, hashOpaqueToken(presented)))
      .for("update");
    const verdict = refreshVerdict(found, now);
    if (verdict === "reused") {
      await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, found!.session.id), isNull(sessions.revokedAt)));
    }
    if (verdict !== "rotate") return { ok: false, verdict };

    const { token, session } = found!;
    await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.id, token.id));
    const expiresAt = addDays(now, ttlDays);
    const [extended] = await tx
      .update(sessions)
      .set({ lastUsedAt: now, expiresAt })
      .where(eq(sessions.id, session.id))
      .returning();
    return { ok: true, session: extended!, refreshToken: await issueRefreshToken(tx, session.id, expiresAt, now) };
  });
}
