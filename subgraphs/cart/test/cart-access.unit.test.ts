import { describe, expect, it } from "vitest";
import { anonymous, permissionsOf, type Caller } from "@fv/platform";
import { canUseCart, ownerIdOf } from "../src/cart-access.js";
import { customerCartId, isCartId } from "../src/store.js";

const ANA = "0b9f7f0e-1111-4a4a-9b9b-000000000001";
const user = (userId: string, role: "customer" | "admin" = "customer"): Caller => ({
  kind: "user",
  userId,
  role,
  permissions: new Set(permissionsOf(role)),
  sessionId: "s",
});

describe("canUseCart", () => {
  it("opens a guest cart to anyone who holds its id", () => {
    for (const caller of [anonymous, user(ANA), { kind: "service", name: "orders" } as const])
      expect(canUseCart(caller, { ownerId: null })).toBe(true);
  });

  it("opens an owned cart to its owner only: not another customer, an admin, a service or an anonymous caller", () => {
    expect(canUseCart(user(ANA), { ownerId: ANA })).toBe(true);
    for (const caller of [
      anonymous,
      user("someone-else"),
      user("admin-id", "admin"),
      { kind: "service", name: "x" } as const,
    ])
      expect(canUseCart(caller, { ownerId: ANA })).toBe(false);
  });
});

describe("ownerIdOf", () => {
  it("is the signed-in user, and nobody otherwise", () => {
    expect(ownerIdOf(user(ANA))).toBe(ANA);
    expect(ownerIdOf(anonymous)).toBeNull();
    expect(ownerIdOf({ kind: "service", name: "orders" })).toBeNull();
  });
});

describe("customerCartId", () => {
  it("is a cart id of the usual shape, the same for a customer every time, different between customers", () => {
    expect(isCartId(customerCartId(ANA))).toBe(true);
    expect(customerCartId(ANA)).toBe(customerCartId(ANA));
    expect(customerCartId(ANA)).not.toBe(customerCartId("0b9f7f0e-1111-4a4a-9b9b-000000000002"));
  });
});
