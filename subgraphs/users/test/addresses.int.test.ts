import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, count, eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { addresses } from "../src/db/schema.js";
import { ADD_ADDRESS, codes, createProfile, startUsers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startUsers>>;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

const addAddress = async (userId: string, input: Record<string, unknown>) => {
  const res = await graphql(ctx.url, ADD_ADDRESS, { userId, input });
  expect(res.errors).toBeUndefined();
  return res.data!.addAddress;
};

const storedAddresses = (userId: string) =>
  ctx.store.db.select().from(addresses).where(eq(addresses.userId, userId)).orderBy(addresses.createdAt);

async function countAddresses(userId?: string) {
  const [row] = await ctx.store.db
    .select({ n: count() })
    .from(addresses)
    .where(userId ? eq(addresses.userId, userId) : undefined);
  return row!.n;
}

describe("addAddress", () => {
  it("stores the canonical commune; the first address is the default, later ones are not", async () => {
    const userId = await createProfile(ctx.url, "Javiera Muñoz", "javiera@example.cl");
    const first = await addAddress(userId, {
      label: "Casa",
      street: "Av. Irarrázaval 3456",
      commune: "  nunoa ",
      notes: "depto 42",
    });
    expect(first.errors).toEqual([]);
    expect(first.address).toMatchObject({ label: "Casa", commune: "Ñuñoa", notes: "depto 42", isDefault: true });
    const second = await addAddress(userId, { street: "Av. Apoquindo 4500", commune: "LAS CONDES" });
    expect(second.address).toMatchObject({ label: null, commune: "Las Condes", notes: null, isDefault: false });

    const rows = await storedAddresses(userId);
    expect(rows.map((r) => [r.commune, r.isDefault])).toEqual([
      ["Ñuñoa", true],
      ["Las Condes", false],
    ]);

    const read = await graphql(
      ctx.url,
      `
        query ($id: ID!) {
          user(id: $id) {
            addresses {
              id
              commune
              isDefault
            }
          }
        }
      `,
      {
        id: userId,
      },
    );
    expect(read.data!.user.addresses).toEqual([
      { id: first.address.id, commune: "Ñuñoa", isDefault: true },
      { id: second.address.id, commune: "Las Condes", isDefault: false },
    ]);
  });

  it("makeDefault moves the default, leaving exactly one", async () => {
    const userId = await createProfile(ctx.url, "Diego Silva", "diego@example.cl");
    const home = await addAddress(userId, { street: "Recoleta 100", commune: "Recoleta" });
    const office = await addAddress(userId, { street: "Providencia 2000", commune: "providencia", makeDefault: true });
    expect(office.address.isDefault).toBe(true);
    const rows = await storedAddresses(userId);
    expect(rows.filter((r) => r.isDefault).map((r) => r.id)).toEqual([office.address.id]);
    expect(rows.find((r) => r.id === home.address.id)!.isDefault).toBe(false);
  });

  it("refuses a commune the shop does not deliver to and stores nothing", async () => {
    const userId = await createProfile(ctx.url, "Lucía Vera", "lucia@example.cl");
    const payload = await addAddress(userId, { street: "Av. Pajaritos 1234", commune: "Maipú" });
    expect(payload.address).toBeNull();
    expect(codes(payload.errors)).toEqual(["input.commune:UNKNOWN_COMMUNE"]);
    expect(payload.errors[0].message).toContain("Maipú");
    expect(await countAddresses(userId)).toBe(0);
  });

  it("says USER_NOT_FOUND for an unknown user and stores nothing", async () => {
    const before = await countAddresses();
    for (const userId of ["00000000-0000-0000-0000-000000000000", "not-a-uuid"]) {
      const payload = await addAddress(userId, { street: "Santiago 1", commune: "Santiago" });
      expect(payload.address).toBeNull();
      expect(codes(payload.errors)).toEqual(["userId:USER_NOT_FOUND"]);
    }
    expect(await countAddresses()).toBe(before);
  });

  it("keeps at most 5 addresses per person", async () => {
    const userId = await createProfile(ctx.url, "Matías Rojas", "matias@example.cl");
    for (let n = 1; n <= 5; n++) {
      const payload = await addAddress(userId, { street: `Independencia ${n}`, commune: "Independencia" });
      expect(payload.errors).toEqual([]);
    }
    const sixth = await addAddress(userId, { street: "Independencia 6", commune: "Independencia", makeDefault: true });
    expect(sixth.address).toBeNull();
    expect(codes(sixth.errors)).toEqual(["userId:ADDRESS_LIMIT"]);
    const rows = await storedAddresses(userId);
    expect(rows).toHaveLength(5);
    // The refused makeDefault did not unset the existing default.
    expect(rows.filter((r) => r.isDefault).map((r) => r.street)).toEqual(["Independencia 1"]);
  });

  it("keeps the limit when 8 additions for one person arrive at once", async () => {
    const userId = await createProfile(ctx.url, "Sofía Concurrente", "sofia@example.cl");
    const payloads = await Promise.all(
      Array.from({ length: 8 }, (_, n) =>
        addAddress(userId, { street: `Huechuraba ${n}`, commune: "Huechuraba", makeDefault: n % 2 === 0 }),
      ),
    );
    expect(payloads.filter((p) => p.address !== null)).toHaveLength(5);
    expect(payloads.filter((p) => p.errors[0]?.code === "ADDRESS_LIMIT")).toHaveLength(3);
    expect(await countAddresses(userId)).toBe(5);
    const [defaults] = await ctx.store.db
      .select({ n: count() })
      .from(addresses)
      .where(and(eq(addresses.userId, userId), eq(addresses.isDefault, true)));
    expect(defaults!.n).toBe(1);
  });

  it("removes a person's addresses with the person", async () => {
    const userId = await createProfile(ctx.url, "Tomás Borrado", "borrado@example.cl");
    await addAddress(userId, { street: "Renca 10", commune: "Renca" });
    await ctx.store.db.execute(`delete from users where id = '${userId}'`);
    expect(await countAddresses(userId)).toBe(0);
  });
});
