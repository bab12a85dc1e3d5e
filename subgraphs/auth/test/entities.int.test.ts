import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { credentials } from "../src/db/schema.js";
import { startAuth } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startAuth>>;
beforeAll(async () => {
  ctx = await startAuth();
});
afterAll(() => ctx?.stop());

describe("_entities contract", () => {
  it("resolves Account references in order, null for unknown ids", async () => {
    const rows = await ctx.store.db
      .insert(credentials)
      .values([
        { email: "una@example.cl", passwordHash: "scrypt$32768$8$1$x$y" },
        { email: "otra@example.cl", passwordHash: "scrypt$32768$8$1$x$y", emailVerifiedAt: new Date() },
      ])
      .returning();
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Account", id: rows[1]!.id },
        { __typename: "Account", id: "00000000-0000-0000-0000-000000000000" },
        { __typename: "Account", id: rows[0]!.id },
        { __typename: "Account", id: "not-a-uuid" },
      ],
      `... on Account { id email emailVerified createdAt }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: rows[1]!.id, email: "otra@example.cl", emailVerified: true, createdAt: rows[1]!.createdAt.toISOString() },
      null,
      { id: rows[0]!.id, email: "una@example.cl", emailVerified: false, createdAt: rows[0]!.createdAt.toISOString() },
      null,
    ]);
  });

  it("never exposes the password hash", async () => {
    const res = await graphql(
      ctx.url,
      `
        query {
          __type(name: "Account") {
            fields {
              name
            }
          }
        }
      `,
    );
    const fields = res.data!.__type.fields.map((f: { name: string }) => f.name);
    expect(fields.sort()).toEqual(["createdAt", "email", "emailVerified", "id"]);
  });
});
