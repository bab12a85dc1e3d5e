import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import { users } from "../src/db/schema.js";
import { CREATE_PROFILE, codes, createProfile, startUsers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startUsers>>;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

async function countUsers() {
  const [row] = await ctx.store.db.select({ n: count() }).from(users);
  return row!.n;
}

const createUserProfile = async (input: Record<string, unknown>) => {
  const res = await graphql(ctx.url, CREATE_PROFILE, { input });
  expect(res.errors).toBeUndefined();
  return res.data!.createUserProfile;
};

describe("createUserProfile", () => {
  it("stores a normalized customer profile and returns it, readable by id afterwards", async () => {
    const payload = await createUserProfile({
      name: " Ignacio  Fuentes ",
      email: "Ignacio.Fuentes@Example.CL",
      phone: "+56 9 8765 4321",
    });
    expect(payload.errors).toEqual([]);
    expect(payload.user).toMatchObject({
      name: "Ignacio Fuentes",
      email: "ignacio.fuentes@example.cl",
      phone: "+56987654321",
      role: "CUSTOMER",
      addresses: [],
    });

    const [row] = await ctx.store.db.select().from(users).where(eq(users.id, payload.user.id));
    expect(row).toMatchObject({ email: "ignacio.fuentes@example.cl", phone: "+56987654321", role: "customer" });
    expect(payload.user.createdAt).toBe(row!.createdAt.toISOString());

    const read = await graphql(
      ctx.url,
      `
        query ($id: ID!) {
          user(id: $id) {
            id
            name
            role
          }
        }
      `,
      { id: row!.id },
    );
    expect(read.data!.user).toEqual({ id: row!.id, name: "Ignacio Fuentes", role: "CUSTOMER" });
  });

  it("answers null for a user that does not exist", async () => {
    for (const id of ["00000000-0000-0000-0000-000000000000", "not-a-uuid"]) {
      const read = await graphql(
        ctx.url,
        `
          query ($id: ID!) {
            user(id: $id) {
              id
            }
          }
        `,
        { id },
      );
      expect(read.errors).toBeUndefined();
      expect(read.data!.user).toBeNull();
    }
  });

  it("reads the role stored in the database as the GraphQL enum", async () => {
    const id = await createProfile(ctx.url, "Rosa Florista", "rosa@floresvictoria.cl");
    await ctx.store.db.update(users).set({ role: "florist" }).where(eq(users.id, id));
    const read = await graphql(
      ctx.url,
      `
        query ($id: ID!) {
          user(id: $id) {
            role
          }
        }
      `,
      { id },
    );
    expect(read.data!.user.role).toBe("FLORIST");
  });

  it("returns a UserError per wrong field and stores nothing", async () => {
    const before = await countUsers();
    const payload = await createUserProfile({ name: "J", email: "juan(at)example.cl", phone: "9 1234 5678" });
    expect(payload.user).toBeNull();
    expect(codes(payload.errors)).toEqual([
      "input.name:INVALID_NAME",
      "input.email:INVALID_EMAIL",
      "input.phone:INVALID_PHONE",
    ]);
    expect(await countUsers()).toBe(before);
  });

  it("refuses an email already used, whatever its case", async () => {
    await createProfile(ctx.url, "Pedro Pérez", "pedro@example.cl");
    const before = await countUsers();
    const again = await createUserProfile({ name: "Otro Pedro", email: " PEDRO@example.cl" });
    expect(codes(again.errors)).toEqual(["input.email:EMAIL_TAKEN"]);
    expect(await countUsers()).toBe(before);
  });

  it("creates one profile when the same email arrives concurrently", async () => {
    const email = "carrera@example.cl";
    const payloads = await Promise.all(
      Array.from({ length: 6 }, (_, n) => createUserProfile({ name: `Persona ${n}`, email })),
    );
    expect(payloads.filter((p) => p.user !== null)).toHaveLength(1);
    expect(payloads.filter((p) => p.errors[0]?.code === "EMAIL_TAKEN")).toHaveLength(5);
    const [row] = await ctx.store.db.select({ n: count() }).from(users).where(eq(users.email, email));
    expect(row!.n).toBe(1);
  });
});

const USERS = /* GraphQL */ `
  query Users($first: Int, $after: String) {
    users(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
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

describe("users query", () => {
  it("pages through every profile newest first with cursors, without repeats", async () => {
    // Same created_at for several rows: the id breaks the tie in the cursor.
    const sameInstant = new Date("2026-01-15T12:00:00.000Z");
    await ctx.store.db
      .insert(users)
      .values(
        ["a", "b", "c"].map((x) => ({ name: `Empate ${x}`, email: `empate-${x}@example.cl`, createdAt: sameInstant })),
      );
    const seen: { id: string; createdAt: string }[] = [];
    let after: string | null = null;
    let total = 0;
    for (let page = 0; page < 20; page++) {
      const res: GraphQLResponse<any> = await graphql(ctx.url, USERS, { first: 2, after });
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

  it("rejects a page larger than 100 and a malformed cursor, naming the argument", async () => {
    const tooMany = await graphql(ctx.url, USERS, { first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooMany.errors?.[0]?.message).toContain('"first"');
    const badCursor = await graphql(ctx.url, USERS, { first: 5, after: "bm9wZQ" });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(badCursor.errors?.[0]?.message).toContain('"after"');
  });
});
