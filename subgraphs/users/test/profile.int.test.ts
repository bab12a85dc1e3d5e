import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { UPDATE_PROFILE, codes, errorCode, person, startUsers, storedUser, type UsersTest } from "./helpers.js";

let ctx: UsersTest;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

async function updateProfile(input: Record<string, unknown>, headers: Record<string, string>) {
  const res = await graphql(ctx.url, UPDATE_PROFILE, { input }, headers);
  expect(res.errors).toBeUndefined();
  return res.data!.updateProfile;
}

describe("updateProfile", () => {
  it("changes the caller's own name and phone, normalized, and stores them", async () => {
    const { id, headers } = await person(ctx, "Ignacia Antes", "ignacia@example.cl");
    const before = (await storedUser(ctx, id))!;
    const payload = await updateProfile({ name: "  Ignacia   Después ", phone: "+56 9 8765 4321" }, headers);
    expect(payload.errors).toEqual([]);
    expect(payload.user).toMatchObject({
      id,
      name: "Ignacia Después",
      email: "ignacia@example.cl",
      phone: "+56987654321",
    });
    const row = (await storedUser(ctx, id))!;
    expect(row).toMatchObject({ name: "Ignacia Después", phone: "+56987654321", email: "ignacia@example.cl" });
    expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect(payload.user.updatedAt).toBe(row.updatedAt.toISOString());
  });

  it("leaves out what is not given, and removes the phone given as null", async () => {
    const { id, headers } = await person(ctx, "Pablo Parcial", "pablo@example.cl");
    await updateProfile({ phone: "+56911112222" }, headers);
    expect((await storedUser(ctx, id))!).toMatchObject({ name: "Pablo Parcial", phone: "+56911112222" });
    await updateProfile({ name: "Pablo Nuevo" }, headers);
    expect((await storedUser(ctx, id))!).toMatchObject({ name: "Pablo Nuevo", phone: "+56911112222" });
    const cleared = await updateProfile({ phone: null }, headers);
    expect(cleared.user.phone).toBeNull();
    expect((await storedUser(ctx, id))!.phone).toBeNull();
    const nothing = await updateProfile({}, headers);
    expect(nothing).toMatchObject({ errors: [], user: { name: "Pablo Nuevo", phone: null } });
  });

  it("returns a UserError per wrong field and changes nothing", async () => {
    const { id, headers } = await person(ctx, "Julia Intacta", "julia@example.cl");
    const before = await storedUser(ctx, id);
    const payload = await updateProfile({ name: "J", phone: "9 1234 5678" }, headers);
    expect(payload.user).toBeNull();
    expect(codes(payload.errors)).toEqual(["input.name:INVALID_NAME", "input.phone:INVALID_PHONE"]);
    expect(await storedUser(ctx, id)).toEqual(before);
  });

  it("wants a signed-in person, and says when their profile has not arrived yet", async () => {
    const anonymous = await graphql(ctx.url, UPDATE_PROFILE, { input: { name: "Nadie" } });
    expect(errorCode(anonymous)).toBe("UNAUTHENTICATED");
    const service = await graphql(ctx.url, UPDATE_PROFILE, { input: { name: "Servicio" } }, ctx.asService);
    expect(errorCode(service)).toBe("UNAUTHENTICATED");
    const early = await updateProfile(
      { name: "Muy Pronto" },
      await ctx.headersAs("00000000-0000-4000-8000-000000000001"),
    );
    expect(early.user).toBeNull();
    expect(codes(early.errors)).toEqual([":PROFILE_NOT_FOUND"]);
  });
});
