import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { addresses } from "../src/db/schema.js";
import {
  REMOVE_ADDRESS,
  SET_DEFAULT_ADDRESS,
  UPDATE_ADDRESS,
  UPDATE_PROFILE,
  USER,
  addAddress,
  codes,
  person,
  startUsers,
  storedUser,
  type UsersTest,
} from "./helpers.js";

/** Person A tries every door to person B's profile and addresses; none opens. */
let ctx: UsersTest;
let a: { id: string; headers: Record<string, string> };
let b: { id: string; headers: Record<string, string> };
let bHome: string;
let bOffice: string;
beforeAll(async () => {
  ctx = await startUsers();
  a = await person(ctx, "Alicia Atacante", "alicia@example.cl");
  b = await person(ctx, "Benito Blanco", "benito@example.cl");
  await addAddress(ctx, a.headers, { street: "Recoleta 1", commune: "Recoleta" });
  bHome = (await addAddress(ctx, b.headers, { street: "Ñuñoa 1", commune: "Ñuñoa" })).address.id;
  bOffice = (await addAddress(ctx, b.headers, { street: "Providencia 1", commune: "Providencia" })).address.id;
});
afterAll(() => ctx?.stop());

/** Everything B has, to compare after each attempt. */
const bState = async () => ({
  profile: await storedUser(ctx, b.id),
  addresses: await ctx.store.db.select().from(addresses).where(eq(addresses.userId, b.id)).orderBy(addresses.id),
});

describe("user A against user B", () => {
  it("cannot read B's profile by id: null, as for an id that does not exist", async () => {
    const res = await graphql(ctx.url, USER, { id: b.id }, a.headers);
    expect(res.errors).toBeUndefined();
    expect(res.data!.user).toBeNull();
    const own = await graphql(ctx.url, USER, { id: a.id }, a.headers);
    expect(own.data!.user).toMatchObject({ id: a.id, name: "Alicia Atacante" });
  });

  it("cannot read B's profile through an _entities representation", async () => {
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "User", id: b.id },
        { __typename: "User", id: a.id },
      ],
      "... on User { id name email phone addresses { id street } }",
      a.headers,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities[0]).toBeNull();
    expect(res.data!._entities[1]).toMatchObject({ id: a.id, name: "Alicia Atacante" });
    expect(JSON.stringify(res.data)).not.toContain("benito");
  });

  it("cannot change, remove or make default B's addresses: ADDRESS_NOT_FOUND, and nothing changes", async () => {
    const before = await bState();
    const attempts = [
      graphql(ctx.url, UPDATE_ADDRESS, { id: bHome, input: { street: "Robado 1" } }, a.headers),
      graphql(ctx.url, UPDATE_ADDRESS, { id: bOffice, input: { notes: "x", commune: "Renca" } }, a.headers),
      graphql(ctx.url, SET_DEFAULT_ADDRESS, { id: bOffice }, a.headers),
      graphql(ctx.url, REMOVE_ADDRESS, { id: bHome }, a.headers),
      graphql(ctx.url, REMOVE_ADDRESS, { id: bOffice }, a.headers),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.errors).toBeUndefined();
      const payload = Object.values(res.data!)[0] as { errors: { field: string[] | null; code: string }[] };
      expect(codes(payload.errors)).toEqual(["id:ADDRESS_NOT_FOUND"]);
      expect(JSON.stringify(payload)).not.toContain("Ñuñoa");
    }
    expect(await bState()).toEqual(before);
  });

  it("changes only their own profile with updateProfile: there is no way to name B", async () => {
    const before = await bState();
    const res = await graphql(ctx.url, UPDATE_PROFILE, { input: { name: "Alicia Cambiada" } }, a.headers);
    expect(res.data!.updateProfile.user.id).toBe(a.id);
    expect((await storedUser(ctx, a.id))!.name).toBe("Alicia Cambiada");
    expect(await bState()).toEqual(before);
  });

  it("sees only their own addresses in every payload", async () => {
    const payload = await addAddress(ctx, a.headers, { street: "Recoleta 2", commune: "Recoleta" });
    const ids = payload.user.addresses.map((x: { id: string }) => x.id);
    expect(ids).not.toContain(bHome);
    expect(ids).not.toContain(bOffice);
    const rows = await ctx.store.db.select().from(addresses).where(eq(addresses.userId, a.id));
    expect(ids.sort()).toEqual(rows.map((r) => r.id).sort());
  });
});

describe("an anonymous caller", () => {
  it("reads no profile, by id or by representation", async () => {
    const res = await graphql(ctx.url, USER, { id: b.id });
    expect(res.data!.user).toBeNull();
    const entities = await resolveEntities(ctx.url, [{ __typename: "User", id: b.id }], "... on User { id name }");
    expect(entities.data!._entities).toEqual([null]);
  });
});
