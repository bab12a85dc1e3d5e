import { describe, expect, it } from "vitest";
import { cartOfOrder, orderPlacedData } from "../src/order-events.js";
import { customerCartId } from "../src/store.js";

const placed = {
  orderId: "o-1",
  number: "FV-000123",
  email: "ana@example.cl",
  customerId: null,
  cartId: "AAAAAAAAAAAAAAAAAAAAAA",
  lines: [{ productId: "p-1", name: "Rosas", quantity: 2, unitPrice: 1_000, subtotal: 2_000 }],
  subtotal: 2_000,
  deliveryFee: 0,
  discount: 0,
  total: 2_000,
  deliveryDate: "2026-05-08",
  deliverySlot: "MORNING",
};

describe("orderPlacedData", () => {
  it("reads the event orders publishes", () => {
    expect(orderPlacedData.parse(placed)).toEqual({
      orderId: "o-1",
      customerId: null,
      cartId: "AAAAAAAAAAAAAAAAAAAAAA",
      lines: [{ productId: "p-1", quantity: 2 }],
    });
  });

  it("refuses an order without lines or with a line of no units", () => {
    expect(orderPlacedData.safeParse({ ...placed, lines: [] }).success).toBe(false);
    expect(orderPlacedData.safeParse({ ...placed, lines: [{ productId: "p", quantity: 0 }] }).success).toBe(false);
  });
});

describe("cartOfOrder", () => {
  it("is the cart the order names, else the customer's own, else none", () => {
    const order = orderPlacedData.parse(placed);
    expect(cartOfOrder(order)).toBe("AAAAAAAAAAAAAAAAAAAAAA");
    expect(cartOfOrder({ ...order, cartId: null, customerId: "u-1" })).toBe(customerCartId("u-1"));
    expect(cartOfOrder({ ...order, cartId: "BBBBBBBBBBBBBBBBBBBBBB", customerId: "u-1" })).toBe(
      "BBBBBBBBBBBBBBBBBBBBBB",
    );
    expect(cartOfOrder({ ...order, cartId: null, customerId: null })).toBeNull();
  });
});
