import { describe, expect, it } from "vitest";
import { canTransition, isFinal, nextStates, ORDER_STATUSES, type OrderStatus } from "../src/order-status.js";

const allowed: [OrderStatus, OrderStatus][] = [
  ["PENDING_PAYMENT", "PAID"],
  ["PENDING_PAYMENT", "CANCELLED"],
  ["PAID", "PREPARING"],
  ["PAID", "CANCELLED"],
  ["PREPARING", "OUT_FOR_DELIVERY"],
  ["PREPARING", "CANCELLED"],
  ["OUT_FOR_DELIVERY", "DELIVERED"],
];

describe("order status table", () => {
  it.each(allowed)("allows %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(true);
  });

  it("allows nothing else", () => {
    const everyPair = ORDER_STATUSES.flatMap((from) => ORDER_STATUSES.map((to) => [from, to] as const));
    const permitted = everyPair.filter(([from, to]) => canTransition(from, to));
    expect(permitted).toHaveLength(allowed.length);
  });

  it.each<[OrderStatus, OrderStatus]>([
    ["PENDING_PAYMENT", "PREPARING"],
    ["PENDING_PAYMENT", "DELIVERED"],
    ["PAID", "PENDING_PAYMENT"],
    ["PAID", "PAID"],
    ["PREPARING", "PAID"],
    ["OUT_FOR_DELIVERY", "CANCELLED"],
    ["OUT_FOR_DELIVERY", "PREPARING"],
    ["DELIVERED", "CANCELLED"],
    ["CANCELLED", "PAID"],
    ["CANCELLED", "PENDING_PAYMENT"],
  ])("forbids %s → %s", (from, to) => {
    expect(canTransition(from, to)).toBe(false);
  });

  it("has DELIVERED and CANCELLED as the only final statuses", () => {
    expect(ORDER_STATUSES.filter(isFinal)).toEqual(["DELIVERED", "CANCELLED"]);
    expect(nextStates.DELIVERED).toEqual([]);
  });
});
