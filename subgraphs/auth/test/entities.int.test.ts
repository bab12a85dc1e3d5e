import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveEntities } from "@fv/platform/testing";
import { credentials, sessions } from "../src/db/schema.js";
import { createAccessTokenIssuer } from "../src/tokens.js";
import { parseSigningKeys } from "../src/signing-keys.js";
import { newSigningJwk, startAuth, type AuthTestContext } from "./helpers.js";
import type { Role } from "@fv/platform";

let ctx: AuthTestContext;
let issue: ReturnType<typeof createAccessTokenIssuer>;
let rows: (typeof credentials.$inferSelect)[];

beforeAll(async () => {
  const key = await newSigningJwk();
  ctx = await startAuth({ keys: [key] });
  issue = createAccessTokenIssuer({
    keys: parseSigningKeys(JSON.stringify([key])),
    issuer: "flores-victoria-auth",
    audience: "flores-victoria",
  });
  rows = await ctx.store.db
    .insert(credentials)
    .values([
      { email: "una@example.cl", passwordHash: "scrypt$32768$8$1$x$y" },
      { email: "otra@example.cl", passwordHash: "scrypt$32768$8$1$x$y", emailVerifiedAt: new Date() },
    ])
    .returning();
});
afterAll(() => ctx?.stop());

/** An access token for `accountId` with `role`, on a live session of its own. */
async function tokenFor(accountId: string, role: Role = "customer") {
  const [session] = await ctx.store.db
    .insert(sessions)
    .values({ accountId, expiresAt: new Date(Date.now() + 60_000) })
    .returning();
  return (await issue({ accountId, role, sessionId: session!.id })).token;
}

const representations = () => [
  { __typename: "Account", id: rows[1]!.id },
  { __typename: "Account", id: "00000000-0000-0000-0000-000000000000" },
  { __typename: "Account", id: rows[0]!.id },
  { __typename: "Account", id: "not-a-uuid" },
];
const SELECTION = `... on Account { id email emailVerified createdAt }`;
const asEntity = (row: (typeof rows)[number]) => ({
  id: row.id,
  email: row.email,
  emailVerified: row.emailVerifiedAt !== null,
  createdAt: row.createdAt.toISOString(),
});

describe("_entities contract", () => {
  it("resolves Account references in order for staff with users:view_all, null for unknown ids", async () => {
    const res = await resolveEntities(ctx.url, representations(), SELECTION, {
      authorization: `Bearer ${await tokenFor(rows[0]!.id, "support")}`,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([asEntity(rows[1]!), null, asEntity(rows[0]!), null]);
  });

  it("resolves only the caller's own account for a customer: another's is null", async () => {
    const res = await resolveEntities(ctx.url, representations(), SELECTION, {
      authorization: `Bearer ${await tokenFor(rows[0]!.id)}`,
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([null, null, asEntity(rows[0]!), null]);
  });

  it("resolves nothing for an anonymous caller, and a florist (no users:view_all) sees only their own", async () => {
    const anonymous = await resolveEntities(ctx.url, representations(), SELECTION);
    expect(anonymous.data!._entities).toEqual([null, null, null, null]);
    const florist = await resolveEntities(ctx.url, representations(), SELECTION, {
      authorization: `Bearer ${await tokenFor(rows[1]!.id, "florist")}`,
    });
    expect(florist.data!._entities).toEqual([asEntity(rows[1]!), null, null, null]);
  });

  it("account(id) follows the same rule", async () => {
    const query = `query($id: ID!) { account(id: $id) { id } }`;
    const own = await ctx.gql(query, { id: rows[0]!.id }, { token: await tokenFor(rows[0]!.id) });
    expect(own.data!.account).toEqual({ id: rows[0]!.id });
    const other = await ctx.gql(query, { id: rows[1]!.id }, { token: await tokenFor(rows[0]!.id) });
    expect(other.errors).toBeUndefined();
    expect(other.data!.account).toBeNull();
    expect((await ctx.gql(query, { id: rows[1]!.id })).data!.account).toBeNull();
  });

  it("never exposes the password hash or the role replica", async () => {
    const res = await ctx.gql(`{ __type(name: "Account") { fields { name } } }`);
    const fields = res.data!.__type.fields.map((f: { name: string }) => f.name);
    expect(fields.sort()).toEqual(["createdAt", "email", "emailVerified", "id"]);
  });
});
