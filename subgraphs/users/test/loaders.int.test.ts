import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle } from "drizzle-orm/node-postgres";
import { addresses, schema, users } from "../src/db/schema.js";
import { createLoaders } from "../src/loaders.js";
import type { UsersDb } from "../src/context.js";
import { startUsers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startUsers>>;
const queries: string[] = [];
let db: UsersDb;

beforeAll(async () => {
  ctx = await startUsers();
  // The service's drizzle setup on the store's pool, with a logger that records every statement sent.
  db = drizzle(ctx.store.pool!, {
    schema,
    casing: "snake_case",
    logger: { logQuery: (query) => queries.push(query) },
  }) as unknown as UsersDb;
});
afterAll(() => ctx?.stop());

describe("loaders", () => {
  it("loads the addresses of N users in one query, each user's own, oldest first", async () => {
    const people = await ctx.store.db
      .insert(users)
      .values([1, 2, 3].map((n) => ({ name: `Persona ${n}`, email: `persona${n}@example.cl` })))
      .returning();
    await ctx.store.db.insert(addresses).values([
      { userId: people[0]!.id, street: "Uno A", commune: "Renca", createdAt: new Date("2026-01-01T10:00:00Z") },
      { userId: people[2]!.id, street: "Tres A", commune: "Renca", createdAt: new Date("2026-01-01T10:00:00Z") },
      { userId: people[0]!.id, street: "Uno B", commune: "Renca", createdAt: new Date("2026-01-02T10:00:00Z") },
    ]);

    const loaders = createLoaders(db);
    queries.length = 0;
    const [a, b, c] = await Promise.all(people.map((p) => loaders.addressesByUser.load(p.id)));
    expect(queries).toHaveLength(1);
    expect(a!.map((r) => r.street)).toEqual(["Uno A", "Uno B"]);
    expect(b).toEqual([]);
    expect(c!.map((r) => r.street)).toEqual(["Tres A"]);
  });

  it("loads N users in one query, null for unknown ids, without querying for malformed ones", async () => {
    const [someone] = await ctx.store.db
      .insert(users)
      .values({ name: "Alguien", email: "alguien@example.cl" })
      .returning();
    const loaders = createLoaders(db);
    queries.length = 0;
    const found = await Promise.all(
      [someone!.id, "00000000-0000-0000-0000-000000000000", "nope"].map((id) => loaders.user.load(id)),
    );
    expect(queries).toHaveLength(1);
    expect(found.map((u) => u?.name ?? null)).toEqual(["Alguien", null, null]);
  });
});
