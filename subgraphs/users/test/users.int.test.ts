import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import { users } from "../src/db/schema.js";
import { USER, errorCode, person, startUsers, type UsersTest } from "./helpers.js";

let ctx: UsersTest;
let staff: Record<string, string>;
beforeAll(async () => {
  ctx = await startUsers();
  staff = await ctx.headersAs(randomUUID(), "support");
});
afterAll(() => ctx?.stop());

const USERS = /* GraphQL */ `
  query Users($first: Int, $after: String, $search: String) {
    users(first: $first, after: $after, search: $search) {
      totalCount
      edges {
        cursor
        node {
          id
          name
          email
          createdAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

async function countUsers() {
  const [row] = await ctx.store.db.select({ n: count() }).from(users);
  return row!.n;
}

const search = async (term: string, headers = staff) => {
  const res = await graphql(ctx.url, USERS, { first: 100, search: term }, headers);
  expect(res.errors).toBeUndefined();
  return res.data!.users as { totalCount: number; edges: { node: { name: string } }[] };
};
const namesFound = async (term: string) => (await search(term)).edges.map((e) => e.node.name).sort();

describe("users (staff)", () => {
  it("pages through every profile newest first with cursors, without repeats", async () => {
    // Same created_at for several rows: the id breaks the tie in the cursor.
    const sameInstant = new Date("2026-01-15T12:00:00.000Z");
    await ctx.store.db
      .insert(users)
      .values(
        ["a", "b", "c"].map((x) => ({ name: `Empate ${x}`, email: `empate-${x}@example.cl`, createdAt: sameInstant })),
      );
    await person(ctx, "Recién Llegada", "reciente@example.cl");
    const seen: { id: string; createdAt: string }[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 20; page++) {
      const res: GraphQLResponse<any> = await graphql(ctx.url, USERS, { first: 2, after }, staff);
      expect(res.errors).toBeUndefined();
      total = res.data!.users.totalCount;
      seen.push(...res.data!.users.edges.map((e: { node: { id: string; createdAt: string } }) => e.node));
      if (!res.data!.users.pageInfo.hasNextPage) break;
      after = res.data!.users.pageInfo.endCursor;
    }
    const n = await countUsers();
    expect(total).toBe(n);
    expect(seen).toHaveLength(n);
    expect(new Set(seen.map((u) => u.id)).size).toBe(n);
    const times = seen.map((u) => Date.parse(u.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("searches name and email without case or accents, every word anywhere", async () => {
    await person(ctx, "María José Ñúñez", "mjose@example.cl");
    await person(ctx, "Mario Soto", "MSOTO@Correo.CL");
    await person(ctx, "José Miguel Carrera", "jmc@example.cl");
    expect(await namesFound("maria")).toEqual(["María José Ñúñez"]);
    expect(await namesFound("NUNEZ")).toEqual(["María José Ñúñez"]);
    expect(await namesFound("ñúñez maría")).toEqual(["María José Ñúñez"]);
    expect(await namesFound("Mari\u0301a")).toEqual(["María José Ñúñez"]);
    expect(await namesFound("jose")).toEqual(["José Miguel Carrera", "María José Ñúñez"]);
    expect(await namesFound("correo.cl")).toEqual(["Mario Soto"]);
    expect(await namesFound("mar")).toEqual(["Mario Soto", "María José Ñúñez"]);
    expect(await namesFound("maria soto")).toEqual([]);
    const found = await search("jose");
    expect(found.totalCount).toBe(2);
  });

  it("takes % and _ in a search literally, and treats a blank search as none", async () => {
    await person(ctx, "Cien Por_Ciento", "cien%@example.cl");
    expect(await namesFound("%")).toEqual(["Cien Por_Ciento"]);
    expect(await namesFound("r_c")).toEqual(["Cien Por_Ciento"]);
    expect((await search("   ")).totalCount).toBe(await countUsers());
  });

  it("rejects a page larger than 100, a malformed cursor and an overlong search, naming the argument", async () => {
    const tooMany = await graphql(ctx.url, USERS, { first: 101 }, staff);
    expect(errorCode(tooMany)).toBe("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.message).toContain('"first"');
    const badCursor = await graphql(ctx.url, USERS, { first: 5, after: "bm9wZQ" }, staff);
    expect(errorCode(badCursor)).toBe("BAD_USER_INPUT");
    expect(badCursor.errors?.[0]?.message).toContain('"after"');
    const longSearch = await graphql(ctx.url, USERS, { search: "a".repeat(101) }, staff);
    expect(errorCode(longSearch)).toBe("BAD_USER_INPUT");
    expect(longSearch.errors?.[0]?.message).toContain('"search"');
  });

  it("is FORBIDDEN to customers and to staff without users:view_all, and needs a signed-in caller", async () => {
    for (const role of ["customer", "delivery", "florist"] as const) {
      const res = await graphql(ctx.url, USERS, { first: 5 }, await ctx.headersAs(randomUUID(), role));
      expect(errorCode(res), role).toBe("FORBIDDEN");
      expect(res.data).toBeNull();
    }
    expect(errorCode(await graphql(ctx.url, USERS, { first: 5 }))).toBe("UNAUTHENTICATED");
    expect(errorCode(await graphql(ctx.url, USERS, { first: 5 }, ctx.asService))).toBe("UNAUTHENTICATED");
  });
});

describe("user(id)", () => {
  it("shows any profile to staff with users:view_all, and null for an unknown or malformed id", async () => {
    const { id } = await person(ctx, "Rosa Florista", "rosa@floresvictoria.cl");
    const read = await graphql(ctx.url, USER, { id }, await ctx.headersAs(randomUUID(), "manager"));
    expect(read.data!.user).toMatchObject({ id, name: "Rosa Florista", role: "CUSTOMER" });
    for (const unknown of ["00000000-0000-0000-0000-000000000000", "not-a-uuid"]) {
      const res = await graphql(ctx.url, USER, { id: unknown }, staff);
      expect(res.errors).toBeUndefined();
      expect(res.data!.user).toBeNull();
    }
  });

  it("reads the role stored in the database as the GraphQL enum", async () => {
    const { id, headers } = await person(ctx, "Flora Rol", "flora@floresvictoria.cl");
    await ctx.store.db.update(users).set({ role: "florist" }).where(eq(users.id, id));
    const read = await graphql(ctx.url, USER, { id }, headers);
    expect(read.data!.user.role).toBe("FLORIST");
  });
});
