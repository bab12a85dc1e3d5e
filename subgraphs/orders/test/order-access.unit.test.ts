import { describe, expect, it } from "vitest";
import { anonymous, permissionsOf, type Caller, type Role } from "@fv/platform";
import { allowedNextStatuses, canViewOrder, decideStatusChange, isAssignedDriver } from "../src/order-access.js";
import type { OrderStatus } from "../src/order-status.js";

const ANA = "0b9f7f0e-1111-4a4a-9b9b-000000000001";
const BENJA = "0b9f7f0e-2222-4a4a-9b9b-000000000002";

const user = (userId: string, role: Role = "customer"): Caller => ({
  kind: "user",
  userId,
  role,
  permissions: new Set(permissionsOf(role)),
  sessionId: "s",
});
const service: Caller = { kind: "service", name: "payments" };
const DRIVER = "0b9f7f0e-4444-4a4a-9b9b-000000000004";
const anasOrder = (status: OrderStatus) => ({ customerId: ANA, status });
/** Ana's order, assigned to DRIVER. */
const assigned = (status: OrderStatus, driverId: string | null = DRIVER) => ({ customerId: ANA, status, driverId });
const ALL_STATUSES: OrderStatus[] = [
  "PENDING_PAYMENT",
  "PAID",
  "PREPARING",
  "OUT_FOR_DELIVERY",
  "DELIVERED",
  "CANCELLED",
];

describe("canViewOrder", () => {
  it("shows an order to its customer, whatever the letter case of the id", () => {
    expect(canViewOrder(user(ANA), anasOrder("PAID"))).toBe(true);
    expect(canViewOrder(user(ANA.toUpperCase()), anasOrder("PAID"))).toBe(true);
  });

  it("hides it from other customers, drivers and anonymous callers, and a guest order from every customer", () => {
    for (const caller of [user(BENJA), user(BENJA, "delivery"), anonymous])
      expect(canViewOrder(caller, anasOrder("PAID"))).toBe(false);
    expect(canViewOrder(user(ANA), { customerId: null, status: "PAID" })).toBe(false);
  });

  it.each<Role>(["florist", "support", "manager", "admin"])("shows every order to %s staff", (role) => {
    expect(canViewOrder(user(BENJA, role), anasOrder("PAID"))).toBe(true);
  });

  it("shows every order to another service", () => {
    expect(canViewOrder(service, { customerId: null, status: "PAID" })).toBe(true);
  });
});

describe("allowedNextStatuses", () => {
  it("offers a customer only cancelling, and only until the order is being prepared", () => {
    expect(allowedNextStatuses(user(ANA), anasOrder("PENDING_PAYMENT"))).toEqual(["CANCELLED"]);
    expect(allowedNextStatuses(user(ANA), anasOrder("PAID"))).toEqual(["CANCELLED"]);
    for (const status of ["PREPARING", "OUT_FOR_DELIVERY", "DELIVERED", "CANCELLED"] as const)
      expect(allowedNextStatuses(user(ANA), anasOrder(status))).toEqual([]);
  });

  it("offers nothing to someone who may not see the order", () => {
    expect(allowedNextStatuses(user(BENJA), anasOrder("PAID"))).toEqual([]);
    expect(allowedNextStatuses(anonymous, anasOrder("PAID"))).toEqual([]);
  });

  it("offers a florist the table without cancelling, support and services the whole table", () => {
    expect(allowedNextStatuses(user(BENJA, "florist"), anasOrder("PAID"))).toEqual(["PREPARING"]);
    expect(allowedNextStatuses(user(BENJA, "support"), anasOrder("PAID"))).toEqual(["PREPARING", "CANCELLED"]);
    expect(allowedNextStatuses(service, anasOrder("PREPARING"))).toEqual(["OUT_FOR_DELIVERY", "CANCELLED"]);
  });

  it("lets a florist cancel their own order as a customer would", () => {
    expect(allowedNextStatuses(user(ANA, "florist"), anasOrder("PAID"))).toEqual(["PREPARING", "CANCELLED"]);
  });
});

describe("decideStatusChange", () => {
  it.each<[string, Caller, OrderStatus, OrderStatus, string]>([
    ["customer cancels while pending", user(ANA), "PENDING_PAYMENT", "CANCELLED", "OK"],
    ["customer cancels once paid", user(ANA), "PAID", "CANCELLED", "OK"],
    ["customer cancels while preparing", user(ANA), "PREPARING", "CANCELLED", "NOT_CANCELLABLE"],
    ["customer cancels out for delivery", user(ANA), "OUT_FOR_DELIVERY", "CANCELLED", "INVALID_TRANSITION"],
    ["customer marks paid", user(ANA), "PENDING_PAYMENT", "PAID", "FORBIDDEN"],
    ["another customer cancels", user(BENJA), "PENDING_PAYMENT", "CANCELLED", "ORDER_NOT_FOUND"],
    ["another customer marks paid", user(BENJA), "PENDING_PAYMENT", "PAID", "ORDER_NOT_FOUND"],
    ["a driver delivers", user(BENJA, "delivery"), "OUT_FOR_DELIVERY", "DELIVERED", "ORDER_NOT_FOUND"],
    ["anonymous cancels", anonymous, "PENDING_PAYMENT", "CANCELLED", "ORDER_NOT_FOUND"],
    ["florist prepares", user(BENJA, "florist"), "PAID", "PREPARING", "OK"],
    ["florist cancels", user(BENJA, "florist"), "PAID", "CANCELLED", "FORBIDDEN"],
    ["florist skips ahead", user(BENJA, "florist"), "PAID", "DELIVERED", "INVALID_TRANSITION"],
    ["support cancels while preparing", user(BENJA, "support"), "PREPARING", "CANCELLED", "OK"],
    ["a service marks paid", service, "PENDING_PAYMENT", "PAID", "OK"],
  ])("%s", (_name, caller, status, to, expected) => {
    expect(decideStatusChange(caller, anasOrder(status), to)).toBe(expected);
  });
});

describe("drivers", () => {
  describe("isAssignedDriver", () => {
    it("holds for a delivery driver named on the order, whatever the letter case of either id", () => {
      expect(isAssignedDriver(user(DRIVER, "delivery"), assigned("PREPARING"))).toBe(true);
      expect(isAssignedDriver(user(DRIVER.toUpperCase(), "delivery"), assigned("PREPARING"))).toBe(true);
      expect(isAssignedDriver(user(DRIVER, "delivery"), assigned("PREPARING", DRIVER.toUpperCase()))).toBe(true);
    });

    it("fails for another driver, an order with no driver, and a caller who is not a driver", () => {
      expect(isAssignedDriver(user(BENJA, "delivery"), assigned("PREPARING"))).toBe(false);
      expect(isAssignedDriver(user(DRIVER, "delivery"), assigned("PREPARING", null))).toBe(false);
      expect(isAssignedDriver(user(DRIVER, "delivery"), anasOrder("PREPARING"))).toBe(false);
      // The id alone is not enough: only the delivery role holds orders:view_assigned.
      for (const role of ["customer", "florist", "support", "manager", "admin"] as const)
        expect(isAssignedDriver(user(DRIVER, role), assigned("PREPARING"))).toBe(false);
      expect(isAssignedDriver(anonymous, assigned("PREPARING"))).toBe(false);
      expect(isAssignedDriver(service, assigned("PREPARING"))).toBe(false);
    });
  });

  it("lets the assigned driver see the order, and no other driver", () => {
    expect(canViewOrder(user(DRIVER, "delivery"), assigned("PAID"))).toBe(true);
    expect(canViewOrder(user(BENJA, "delivery"), assigned("PAID"))).toBe(false);
    expect(canViewOrder(user(DRIVER, "delivery"), assigned("PAID", null))).toBe(false);
  });

  it("offers the assigned driver only the road: out for delivery once prepared, then delivered", () => {
    const driver = user(DRIVER, "delivery");
    expect(allowedNextStatuses(driver, assigned("PREPARING"))).toEqual(["OUT_FOR_DELIVERY"]);
    expect(allowedNextStatuses(driver, assigned("OUT_FOR_DELIVERY"))).toEqual(["DELIVERED"]);
    for (const status of ["PENDING_PAYMENT", "PAID", "DELIVERED", "CANCELLED"] as const)
      expect(allowedNextStatuses(driver, assigned(status))).toEqual([]);
  });

  it("offers nothing to a driver the order is not assigned to, nor on an order without a driver", () => {
    for (const status of ALL_STATUSES) {
      expect(allowedNextStatuses(user(BENJA, "delivery"), assigned(status))).toEqual([]);
      expect(allowedNextStatuses(user(DRIVER, "delivery"), assigned(status, null))).toEqual([]);
    }
  });

  it("gives staff named as the driver no more than their role: a florist still does not cancel", () => {
    expect(allowedNextStatuses(user(DRIVER, "florist"), assigned("PREPARING"))).toEqual(["OUT_FOR_DELIVERY"]);
    expect(allowedNextStatuses(user(DRIVER, "support"), assigned("PREPARING"))).toEqual([
      "OUT_FOR_DELIVERY",
      "CANCELLED",
    ]);
  });

  it.each<[string, Caller, OrderStatus, string | null, OrderStatus, string]>([
    ["assigned driver takes it out", user(DRIVER, "delivery"), "PREPARING", DRIVER, "OUT_FOR_DELIVERY", "OK"],
    ["assigned driver delivers", user(DRIVER, "delivery"), "OUT_FOR_DELIVERY", DRIVER, "DELIVERED", "OK"],
    ["assigned driver cancels", user(DRIVER, "delivery"), "PREPARING", DRIVER, "CANCELLED", "FORBIDDEN"],
    ["assigned driver prepares", user(DRIVER, "delivery"), "PAID", DRIVER, "PREPARING", "FORBIDDEN"],
    ["assigned driver skips ahead", user(DRIVER, "delivery"), "PREPARING", DRIVER, "DELIVERED", "INVALID_TRANSITION"],
    [
      "assigned driver reopens",
      user(DRIVER, "delivery"),
      "DELIVERED",
      DRIVER,
      "OUT_FOR_DELIVERY",
      "INVALID_TRANSITION",
    ],
    ["another driver delivers", user(BENJA, "delivery"), "OUT_FOR_DELIVERY", DRIVER, "DELIVERED", "ORDER_NOT_FOUND"],
    [
      "a driver delivers an unassigned order",
      user(DRIVER, "delivery"),
      "OUT_FOR_DELIVERY",
      null,
      "DELIVERED",
      "ORDER_NOT_FOUND",
    ],
  ])("%s", (_name, caller, status, driverId, to, expected) => {
    expect(decideStatusChange(caller, assigned(status, driverId), to)).toBe(expected);
  });
});
