import { describe, expect, it } from "vitest";
import { anonymous, permissionsOf, type Caller, type Role } from "@fv/platform";
import { checkReferenceId, MAX_WISHLIST_ITEMS, ownsWishlist, planAddition } from "../src/wishlist-rules.js";

const items = (n: number) => Array.from({ length: n }, (_, slot) => ({ productId: `p${slot}`, slot }));

describe("planAddition", () => {
  it("refuses a product already saved", () => {
    expect(planAddition(items(3), "p1")).toEqual({ kind: "ALREADY_IN_WISHLIST" });
  });

  it("refuses a product beyond the limit", () => {
    expect(planAddition(items(MAX_WISHLIST_ITEMS), "new")).toEqual({ kind: "WISHLIST_FULL" });
  });

  it("says already saved rather than full when both hold", () => {
    expect(planAddition(items(MAX_WISHLIST_ITEMS), "p7")).toEqual({ kind: "ALREADY_IN_WISHLIST" });
  });

  it("picks a free slot, never a taken one", () => {
    const taken = [
      { productId: "a", slot: 0 },
      { productId: "b", slot: 2 },
    ];
    expect(planAddition(taken, "c", () => 0)).toEqual({ kind: "INSERT", slot: 1 });
    expect(planAddition(taken, "c", () => 0.999999)).toEqual({ kind: "INSERT", slot: MAX_WISHLIST_ITEMS - 1 });
    expect(planAddition(items(MAX_WISHLIST_ITEMS - 1), "new", () => 0.5)).toEqual({
      kind: "INSERT",
      slot: MAX_WISHLIST_ITEMS - 1,
    });
  });
});

describe("checkReferenceId", () => {
  it("accepts uuids and object ids", () => {
    expect(checkReferenceId("productId", "0b5e6a52-37c4-4e8e-9a38-3c1f8a7e2f10")).toBeNull();
    expect(checkReferenceId("ownerId", "6b0c2b7bd44c778c155bd8ae")).toBeNull();
  });

  it("rejects empty, long or free-text ids, naming the field", () => {
    for (const bad of ["", " ", "a b", "x".repeat(65), "{$ne:1}"]) {
      expect(checkReferenceId("productId", bad)).toMatchObject({ field: ["productId"], code: "INVALID_ID" });
    }
  });
});

describe("ownsWishlist", () => {
  const wishlist = { ownerId: "0b5e6a52-37c4-4e8e-9a38-3c1f8a7e2f10" };
  const user = (userId: string, role: Role = "customer"): Caller => ({
    kind: "user",
    userId,
    role,
    permissions: new Set(permissionsOf(role)),
    sessionId: "s",
  });

  it("is true for the owner only", () => {
    expect(ownsWishlist(user(wishlist.ownerId), wishlist)).toBe(true);
    expect(ownsWishlist(user("someone-else"), wishlist)).toBe(false);
    expect(ownsWishlist(user("an-admin", "admin"), wishlist)).toBe(false);
    expect(ownsWishlist(anonymous, wishlist)).toBe(false);
    expect(ownsWishlist({ kind: "service", name: "orders" }, wishlist)).toBe(false);
  });
});
