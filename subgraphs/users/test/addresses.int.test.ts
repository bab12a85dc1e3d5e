import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { addresses } from "../src/db/schema.js";
import {
  ADD_ADDRESS,
  REMOVE_ADDRESS,
  SET_DEFAULT_ADDRESS,
  UPDATE_ADDRESS,
  addAddress,
  codes,
  errorCode,
  person,
  startUsers,
  type UsersTest,
} from "./helpers.js";

let ctx: UsersTest;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

const storedAddresses = (userId: string) =>
  ctx.store.db.select().from(addresses).where(eq(addresses.userId, userId)).orderBy(addresses.createdAt, addresses.id);

async function countAddresses(userId?: string) {
  const [row] = await ctx.store.db
    .select({ n: count() })
    .from(addresses)
    .where(userId ? eq(addresses.userId, userId) : undefined);
  return row!.n;
}

const defaults = async (userId: string) =>
  (await storedAddresses(userId)).filter((r) => r.isDefault).map((r) => r.street);

async function mutate(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const res = await graphql(ctx.url, query, variables, headers);
  expect(res.errors).toBeUndefined();
  return Object.values(res.data!)[0];
}

describe("addAddress", () => {
  it("stores the canonical commune; the first address is the default, later ones are not", async () => {
    const { id, headers } = await person(ctx, "Javiera Muñoz", "javiera@example.cl");
    const first = await addAddress(ctx, headers, {
      label: "Casa",
      street: "Av. Irarrázaval 3456",
      commune: "  nunoa ",
      notes: "depto 42",
    });
    expect(first.errors).toEqual([]);
    expect(first.address).toMatchObject({ label: "Casa", commune: "Ñuñoa", notes: "depto 42", isDefault: true });
    const second = await addAddress(ctx, headers, { street: "Av. Apoquindo 4500", commune: "LAS CONDES" });
    expect(second.address).toMatchObject({ label: null, commune: "Las Condes", notes: null, isDefault: false });
    expect(second.user).toEqual({
      id,
      addresses: [
        { id: first.address.id, isDefault: true },
        { id: second.address.id, isDefault: false },
      ],
    });

    const rows = await storedAddresses(id);
    expect(rows.map((r) => [r.userId, r.commune, r.isDefault])).toEqual([
      [id, "Ñuñoa", true],
      [id, "Las Condes", false],
    ]);
  });

  it("makeDefault moves the default, leaving exactly one", async () => {
    const { id, headers } = await person(ctx, "Diego Silva", "diego@example.cl");
    await addAddress(ctx, headers, { street: "Recoleta 100", commune: "Recoleta" });
    const office = await addAddress(ctx, headers, {
      street: "Providencia 2000",
      commune: "providencia",
      makeDefault: true,
    });
    expect(office.address.isDefault).toBe(true);
    expect(await defaults(id)).toEqual(["Providencia 2000"]);
  });

  it("refuses a commune the shop does not deliver to and stores nothing", async () => {
    const { id, headers } = await person(ctx, "Lucía Vera", "lucia@example.cl");
    const payload = await addAddress(ctx, headers, { street: "Av. Pajaritos 1234", commune: "Maipú" });
    expect(payload.address).toBeNull();
    expect(codes(payload.errors)).toEqual(["input.commune:UNKNOWN_COMMUNE"]);
    expect(payload.errors[0].message).toContain("Maipú");
    expect(await countAddresses(id)).toBe(0);
  });

  it("wants a signed-in person with a profile", async () => {
    const before = await countAddresses();
    const anonymous = await graphql(ctx.url, ADD_ADDRESS, { input: { street: "Santiago 1", commune: "Santiago" } });
    expect(errorCode(anonymous)).toBe("UNAUTHENTICATED");
    const unregistered = await addAddress(ctx, await ctx.headersAs("00000000-0000-4000-8000-000000000000"), {
      street: "Santiago 1",
      commune: "Santiago",
    });
    expect(codes(unregistered.errors)).toEqual([":PROFILE_NOT_FOUND"]);
    expect(await countAddresses()).toBe(before);
  });

  it("keeps at most 5 addresses per person", async () => {
    const { id, headers } = await person(ctx, "Matías Rojas", "matias@example.cl");
    for (let n = 1; n <= 5; n++) {
      const payload = await addAddress(ctx, headers, { street: `Independencia ${n}`, commune: "Independencia" });
      expect(payload.errors).toEqual([]);
    }
    const sixth = await addAddress(ctx, headers, {
      street: "Independencia 6",
      commune: "Independencia",
      makeDefault: true,
    });
    expect(sixth.address).toBeNull();
    expect(codes(sixth.errors)).toEqual([":ADDRESS_LIMIT"]);
    expect(await countAddresses(id)).toBe(5);
    // The refused makeDefault did not unset the existing default.
    expect(await defaults(id)).toEqual(["Independencia 1"]);
  });

  it("keeps the limit and one default when 8 additions for one person arrive at once", async () => {
    const { id, headers } = await person(ctx, "Sofía Concurrente", "sofia@example.cl");
    const payloads = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        addAddress(ctx, headers, { street: `Huechuraba ${n}`, commune: "Huechuraba", makeDefault: n % 2 === 0 }),
      ),
    );
    expect(payloads.filter((p) => p.address !== null)).toHaveLength(5);
    expect(payloads.filter((p) => p.errors[0]?.code === "ADDRESS_LIMIT")).toHaveLength(3);
    expect(await countAddresses(id)).toBe(5);
    expect(await defaults(id)).toHaveLength(1);
  });
});

describe("updateAddress", () => {
  it("changes the fields given, keeps the others, and removes a label or notes set to null", async () => {
    const { id, headers } = await person(ctx, "Camila Cambia", "camila@example.cl");
    const added = await addAddress(ctx, headers, {
      label: "Casa",
      street: "Vitacura 100",
      commune: "Vitacura",
      notes: "portón verde",
    });
    const payload = await mutate(
      UPDATE_ADDRESS,
      { id: added.address.id, input: { street: " Vitacura   200 ", commune: "lo barnechea", label: null } },
      headers,
    );
    expect(payload.errors).toEqual([]);
    expect(payload.address).toEqual({
      id: added.address.id,
      label: null,
      street: "Vitacura 200",
      commune: "Lo Barnechea",
      notes: "portón verde",
      isDefault: true,
    });
    const [row] = await storedAddresses(id);
    expect(row).toMatchObject({ label: null, street: "Vitacura 200", commune: "Lo Barnechea", notes: "portón verde" });
  });

  it("refuses a bad field, naming it, and changes nothing", async () => {
    const { id, headers } = await person(ctx, "Bruno Malo", "bruno@example.cl");
    const added = await addAddress(ctx, headers, { street: "Renca 1", commune: "Renca" });
    const before = await storedAddresses(id);
    const payload = await mutate(
      UPDATE_ADDRESS,
      { id: added.address.id, input: { street: "   ", commune: "Puente Alto" } },
      headers,
    );
    expect(payload.address).toBeNull();
    expect(codes(payload.errors)).toEqual(["input.street:REQUIRED", "input.commune:UNKNOWN_COMMUNE"]);
    expect(await storedAddresses(id)).toEqual(before);
  });

  it("says ADDRESS_NOT_FOUND for an unknown or malformed id", async () => {
    const { headers } = await person(ctx, "Nadia Nada", "nadia@example.cl");
    for (const unknown of ["00000000-0000-4000-8000-000000000000", "nope"]) {
      const payload = await mutate(UPDATE_ADDRESS, { id: unknown, input: { street: "Santiago 9" } }, headers);
      expect(codes(payload.errors)).toEqual(["id:ADDRESS_NOT_FOUND"]);
    }
  });
});

describe("setDefaultAddress and removeAddress", () => {
  it("moves the default to the chosen address, leaving exactly one", async () => {
    const { id, headers } = await person(ctx, "Pía Predeterminada", "pia@example.cl");
    await addAddress(ctx, headers, { street: "Santiago 1", commune: "Santiago" });
    const second = await addAddress(ctx, headers, { street: "Santiago 2", commune: "Santiago" });
    const payload = await mutate(SET_DEFAULT_ADDRESS, { id: second.address.id }, headers);
    expect(payload.errors).toEqual([]);
    expect(payload.address.isDefault).toBe(true);
    expect(payload.user.addresses.map((a: { isDefault: boolean }) => a.isDefault)).toEqual([false, true]);
    expect(await defaults(id)).toEqual(["Santiago 2"]);
    // Again on the default: nothing changes.
    const again = await mutate(SET_DEFAULT_ADDRESS, { id: second.address.id }, headers);
    expect(again.errors).toEqual([]);
    expect(await defaults(id)).toEqual(["Santiago 2"]);
  });

  it("removes an address; removing the default hands it to the oldest remaining one", async () => {
    const { id, headers } = await person(ctx, "Raúl Remueve", "raul@example.cl");
    const a = await addAddress(ctx, headers, { street: "Quilicura 1", commune: "Quilicura" });
    const b = await addAddress(ctx, headers, { street: "Quilicura 2", commune: "Quilicura" });
    const c = await addAddress(ctx, headers, { street: "Quilicura 3", commune: "Quilicura", makeDefault: true });

    const removed = await mutate(REMOVE_ADDRESS, { id: c.address.id }, headers);
    expect(removed.errors).toEqual([]);
    expect(removed.removedAddressId).toBe(c.address.id);
    expect(removed.user.addresses).toEqual([
      { id: a.address.id, isDefault: true },
      { id: b.address.id, isDefault: false },
    ]);
    expect(await defaults(id)).toEqual(["Quilicura 1"]);

    await mutate(REMOVE_ADDRESS, { id: b.address.id }, headers);
    await mutate(REMOVE_ADDRESS, { id: a.address.id }, headers);
    expect(await countAddresses(id)).toBe(0);
    const gone = await mutate(REMOVE_ADDRESS, { id: a.address.id }, headers);
    expect(codes(gone.errors)).toEqual(["id:ADDRESS_NOT_FOUND"]);
  });

  it("keeps one default when defaults are set and removed concurrently", async () => {
    const { id, headers } = await person(ctx, "Tina Tumulto", "tina@example.cl");
    const added = [];
    for (let n = 0; n < 5; n++) added.push(await addAddress(ctx, headers, { street: `Renca ${n}`, commune: "Renca" }));
    await Promise.all([
      ...added.slice(0, 3).map((a) => mutate(SET_DEFAULT_ADDRESS, { id: a.address.id }, headers)),
      ...added.slice(3).map((a) => mutate(REMOVE_ADDRESS, { id: a.address.id }, headers)),
      mutate(REMOVE_ADDRESS, { id: added[0]!.address.id }, headers),
    ]);
    expect(await countAddresses(id)).toBe(2);
    expect(await defaults(id)).toHaveLength(1);
  });

  it("removes a person's addresses with the person", async () => {
    const { id, headers } = await person(ctx, "Tomás Borrado", "borrado@example.cl");
    await addAddress(ctx, headers, { street: "Renca 10", commune: "Renca" });
    await ctx.store.db.execute(`delete from users where id = '${id}'`);
    expect(await countAddresses(id)).toBe(0);
  });
});

describe("the database itself", () => {
  it("never holds two defaults for one person", async () => {
    const { id, headers } = await person(ctx, "Ulises Único", "ulises@example.cl");
    await addAddress(ctx, headers, { street: "Conchalí 1", commune: "Conchalí" });
    await addAddress(ctx, headers, { street: "Conchalí 2", commune: "Conchalí" });
    await expect(
      ctx.store.db
        .update(addresses)
        .set({ isDefault: true })
        .where(and(eq(addresses.userId, id), eq(addresses.street, "Conchalí 2"))),
    ).rejects.toThrow();
  });
});
