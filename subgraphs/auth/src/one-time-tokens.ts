import { and, eq, isNull } from "drizzle-orm";
import { oneTimeTokens, type OneTimeTokenKind } from "./db/schema.js";
import { addMilliseconds } from "./clock.js";
import { hashOpaqueToken, newOpaqueToken } from "./opaque-tokens.js";
import { oneTimeTokenVerdict, type OneTimeTokenVerdict } from "./token-verdicts.js";
import type { AuthDb, AuthTx } from "./context.js";

/** A reset link is good for an hour, a verification link for a day. */
export const ONE_TIME_TOKEN_TTL_MS: Record<OneTimeTokenKind, number> = {
  reset: 60 * 60 * 1000,
  verify: 24 * 60 * 60 * 1000,
};

/** A new single-use token for an account; only its hash is stored. The raw token goes in the email. */
export async function issueOneTimeToken(tx: AuthDb | AuthTx, kind: OneTimeTokenKind, accountId: string, now: Date) {
  const token = newOpaqueToken();
  const expiresAt = addMilliseconds(now, ONE_TIME_TOKEN_TTL_MS[kind]);
  await tx
    .insert(oneTimeTokens)
    .values({ kind, accountId, tokenHash: hashOpaqueToken(token), createdAt: now, expiresAt });
  return { token, expiresAt };
}

export type OneTimeTokenCheck =
  { verdict: "valid"; accountId: string } | { verdict: Exclude<OneTimeTokenVerdict, "valid"> };

const find = (tx: AuthDb | AuthTx, kind: OneTimeTokenKind, presented: string) =>
  tx
    .select()
    .from(oneTimeTokens)
    .where(and(eq(oneTimeTokens.tokenHash, hashOpaqueToken(presented)), eq(oneTimeTokens.kind, kind)));

/** What using the token would lead to, without using it (to check the rest of a request first). */
export async function peekOneTimeToken(
  db: AuthDb,
  kind: OneTimeTokenKind,
  presented: string,
  now: Date,
): Promise<OneTimeTokenCheck> {
  const [row] = await find(db, kind, presented);
  const verdict = oneTimeTokenVerdict(row, now);
  return verdict === "valid" ? { verdict, accountId: row!.accountId } : { verdict };
}

/**
 * Uses a token, inside the caller's transaction: locked, checked, marked used. Every other
 * unused token of the same kind for the account is spent with it: once the password is reset
 * (or the email verified), older links must not work either.
 */
export async function consumeOneTimeToken(
  tx: AuthTx,
  kind: OneTimeTokenKind,
  presented: string,
  now: Date,
): Promise<OneTimeTokenCheck> {
  const [row] = await find(tx, kind, presented).for("update");
  const verdict = oneTimeTokenVerdict(row, now);
  if (verdict !== "valid") return { verdict };
  await tx
    .update(oneTimeTokens)
    .set({ usedAt: now })
    .where(
      and(eq(oneTimeTokens.accountId, row!.accountId), eq(oneTimeTokens.kind, kind), isNull(oneTimeTokens.usedAt)),
    );
  return { verdict, accountId: row!.accountId };
}
