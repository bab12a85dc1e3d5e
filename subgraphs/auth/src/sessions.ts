import { and, count, desc, eq, gt, isNull, lt, ne, or } from "drizzle-orm";
import { unauthenticated, type UserCaller, type Caller } from "@fv/platform";
import { sessions, type SessionRow } from "./db/schema.js";
import { addDays } from "./clock.js";
import { issueRefreshToken, type IssuedRefreshToken } from "./refresh-tokens.js";
import type { AuthDb, AuthTx } from "./context.js";
import type { Loaders } from "./loaders.js";

// What a client may claim about itself is kept, within reason.
const MAX_USER_AGENT = 512;
const MAX_CLIENT_ADDRESS = 128;

export interface Device {
  userAgent: string | undefined;
  clientAddress: string | undefined;
}

/** A session for a successful sign-in, with the first refresh token of its family. */
export async function startSession(
  tx: AuthDb | AuthTx,
  accountId: string,
  device: Device,
  ttlDays: number,
  now: Date,
): Promise<{ session: SessionRow; refreshToken: IssuedRefreshToken }> {
  const expiresAt = addDays(now, ttlDays);
  const [session] = await tx
    .insert(sessions)
    .values({
      accountId,
      userAgent: device.userAgent?.slice(0, MAX_USER_AGENT) || null,
      clientAddress: device.clientAddress?.slice(0, MAX_CLIENT_ADDRESS) || null,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
    })
    .returning();
  return { session: session!, refreshToken: await issueRefreshToken(tx, session!.id, expiresAt, now) };
}

const live = (now: Date) => and(isNull(sessions.revokedAt), gt(sessions.expiresAt, now));

export const isLive = (session: SessionRow, now: Date) =>
  session.revokedAt === null && session.expiresAt.getTime() > now.getTime();

/**
 * The signed-in caller, whose session must still be live: an access token outlives a sign-out by
 * up to 15 minutes elsewhere, but not here, where sessions and passwords are managed.
 */
export async function requireLiveSession(
  caller: Caller,
  loaders: Loaders,
  now = new Date(),
): Promise<{ user: UserCaller; session: SessionRow }> {
  if (caller.kind !== "user") throw unauthenticated();
  const session = await loaders.session.load(caller.sessionId);
  if (!session || session.accountId !== caller.userId || !isLive(session, now))
    throw unauthenticated("This session has ended: sign in again");
  return { user: caller, session };
}

/** Revokes sessions of an account (one, all, or all but one); returns those it revoked. */
export function revokeSessions(
  tx: AuthDb | AuthTx,
  accountId: string,
  which: { only: string } | { except: string } | "all",
  now: Date,
) {
  const scope =
    which === "all" ? undefined : "only" in which ? eq(sessions.id, which.only) : ne(sessions.id, which.except);
  return tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt), scope))
    .returning();
}

export type SessionCursor = [createdAt: string, id: string];

/** A page of an account's live sessions, newest first, after `cursor`; and how many there are. */
export async function liveSessionsPage(
  db: AuthDb,
  accountId: string,
  size: number,
  cursor: SessionCursor | null,
  now: Date,
) {
  const mine = and(eq(sessions.accountId, accountId), live(now));
  const after = cursor
    ? or(
        lt(sessions.createdAt, new Date(cursor[0])),
        and(eq(sessions.createdAt, new Date(cursor[0])), lt(sessions.id, cursor[1])),
      )
    : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(sessions)
      .where(and(mine, after))
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(size + 1),
    db.select({ n: count() }).from(sessions).where(mine),
  ]);
  return { rows, totalCount: total?.n ?? 0 };
}
