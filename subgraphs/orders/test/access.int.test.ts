import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq, sql } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { orderStatusChanges, orders, outbox } from "../src/db/schema.js";
import type { OrderStatus } from "../src/order-status.js";
import { AS_SERVICE, seedOrder, startOrders, type Headers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startOrders>>;
const ANA = randomUUID();
const BENJA = randomUUID();
let ana: Headers;
let benja: Headers;
let support: Headers;
beforeAll(async () => {
  ctx = await startOrders();
  [ana, benja, support] = await Promise.all([ctx.signIn(ANA), ctx.signIn(BENJA), ctx.signIn(undefined, "support")]);
});
afterAll(() => ctx?.stop());

const CHANGE = /* GraphQL */ `
  mutation ($id: ID!, $to: OrderStatus!) {
    changeOrderStatus(id: $id, to: $to) {
      order {
        status
        nextStatuses
        statusHistory {
          to
          changedBy
        }
      }
      errors {
        field
        code
        message
      }
    }
  }
`;
const READ = /* GraphQL */ `
  query ($id: ID!, $number: String!) {
    order(id: $id) {
      id
      buyerEmail
      nextStatuses
    }
    orderByNumber(number: $number) {
      id
    }
  }
`;

/** An order of that customer awaiting payment, as checkout leaves it. */
const orderOf = (customerId: string) =>
  seedOrder(ctx.store.db, { customerId, buyerEmail: "cliente@example.cl", stream: ctx.stream });

async function moveTo(id: string, ...path: OrderStatus[]) {
  for (const to of path) {
    const res = await graphql(ctx.url, CHANGE, { id, to }, support);
    expect(res.data!.changeOrderStatus.errors).toEqual([]);
  }
}

/** The order's row, history and events as stored, to show a refused change left them alone. */
async function snapshot(id: string) {
  const [[row], [history], [events]] = await Promise.all([
    ctx.store.db.select().from(orders).where(eq(orders.id, id)),
    ctx.store.db.select({ n: count() }).from(orderStatusChanges).where(eq(orderStatusChanges.orderId, id)),
    ctx.store.db
      .select({ n: count() })
      .from(outbox)
      .where(sql`${outbox.event}->'data'->>'orderId' = ${id}`),
  ]);
  return { status: row!.status, updatedAt: row!.updatedAt, history: history!.n, events: events!.n };
}

describe("reading orders", () => {
  it("shows a customer their own order by id and by number, and someone else's as missing", async () => {
    const order = await orderOf(ANA);
    const vars = { id: order.id, number: order.number };
    const own = await graphql(ctx.url, READ, vars, ana);
    expect(own.data).toEqual({
      order: { id: order.id, buyerEmail: "cliente@example.cl", nextStatuses: ["CANCELLED"] },
      orderByNumber: { id: order.id },
    });
    for (const stranger of [benja, {}, await ctx.signIn(undefined, "delivery")]) {
      const res = await graphql(ctx.url, READ, vars, stranger);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ order: null, orderByNumber: null });
    }
  });

  it("shows any order to staff with orders:view_all and to other services", async () => {
    const order = await orderOf(ANA);
    const vars = { id: order.id, number: order.number };
    const florist = await graphql(ctx.url, READ, vars, await ctx.signIn(undefined, "florist"));
    // A florist moves orders forward but does not cancel them.
    expect(florist.data!.order).toMatchObject({ id: order.id, nextStatuses: ["PAID"] });
    const service = await graphql(ctx.url, READ, vars, AS_SERVICE);
    expect(service.data!.orderByNumber).toEqual({ id: order.id });
    expect(service.data!.order.nextStatuses).toEqual(["PAID", "CANCELLED"]);
  });
});

describe("changeOrderStatus", () => {
  it("asks an anonymous caller to sign in, changing nothing", async () => {
    const { id } = await orderOf(ANA);
    const before = await snapshot(id);
    const res = await graphql(ctx.url, CHANGE, { id, to: "CANCELLED" });
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(await snapshot(id)).toEqual(before);
  });

  it("treats another customer's order as missing, whatever the move, changing nothing", async () => {
    const { id } = await orderOf(ANA);
    const before = await snapshot(id);
    for (const to of ["CANCELLED", "PAID"] as const) {
      const res = await graphql(ctx.url, CHANGE, { id, to }, benja);
      expect(res.errors).toBeUndefined();
      expect(res.data!.changeOrderStatus).toMatchObject({
        order: null,
        errors: [{ field: ["id"], code: "ORDER_NOT_FOUND" }],
      });
    }
    expect(await snapshot(id)).toEqual(before);
  });

  it("lets customers cancel their own order while PENDING_PAYMENT or PAID, recording who did", async () => {
    const pending = await orderOf(ANA);
    const cancelled = await graphql(ctx.url, CHANGE, { id: pending.id, to: "CANCELLED" }, ana);
    expect(cancelled.data!.changeOrderStatus).toMatchObject({
      errors: [],
      order: { status: "CANCELLED", nextStatuses: [], statusHistory: [{}, { to: "CANCELLED", changedBy: ANA }] },
    });
    expect((await snapshot(pending.id)).status).toBe("CANCELLED");

    const paid = await orderOf(ANA);
    await moveTo(paid.id, "PAID");
    const res = await graphql(ctx.url, CHANGE, { id: paid.id, to: "CANCELLED" }, ana);
    expect(res.data!.changeOrderStatus.errors).toEqual([]);
    expect((await snapshot(paid.id)).status).toBe("CANCELLED");
  });

  it("tells a customer an order being prepared can no longer be cancelled, changing nothing", async () => {
    const { id } = await orderOf(ANA);
    await moveTo(id, "PAID", "PREPARING");
    const before = await snapshot(id);
    const res = await graphql(ctx.url, CHANGE, { id, to: "CANCELLED" }, ana);
    expect(res.data!.changeOrderStatus).toMatchObject({
      order: null,
      errors: [{ field: ["to"], code: "NOT_CANCELLABLE" }],
    });
    expect(res.data!.changeOrderStatus.errors[0].message).toContain("PREPARING");
    expect(await snapshot(id)).toEqual(before);
    const read = await graphql(ctx.url, READ, { id, number: "-" }, ana);
    expect(read.data!.order.nextStatuses).toEqual([]);
  });

  it("forbids a customer any other move of their own order, changing nothing", async () => {
    const { id } = await orderOf(ANA);
    const before = await snapshot(id);
    const res = await graphql(ctx.url, CHANGE, { id, to: "PAID" }, ana);
    expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(res.data?.changeOrderStatus ?? null).toBeNull();
    expect(await snapshot(id)).toEqual(before);
  });

  it("lets a florist move any order forward but not cancel it", async () => {
    const floristId = randomUUID();
    const florist = await ctx.signIn(floristId, "florist");
    const { id } = await orderOf(ANA);
    await moveTo(id, "PAID");
    const forward = await graphql(ctx.url, CHANGE, { id, to: "PREPARING" }, florist);
    expect(forward.data!.changeOrderStatus.order).toMatchObject({
      status: "PREPARING",
      nextStatuses: ["OUT_FOR_DELIVERY"],
      statusHistory: [{}, {}, { to: "PREPARING", changedBy: floristId }],
    });
    const before = await snapshot(id);
    const cancel = await graphql(ctx.url, CHANGE, { id, to: "CANCELLED" }, florist);
    expect(cancel.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await snapshot(id)).toEqual(before);
  });

  it("lets support staff cancel an order being prepared", async () => {
    const { id } = await orderOf(ANA);
    await moveTo(id, "PAID", "PREPARING");
    const res = await graphql(ctx.url, CHANGE, { id, to: "CANCELLED" }, support);
    expect(res.data!.changeOrderStatus).toMatchObject({ errors: [], order: { status: "CANCELLED" } });
  });

  it("gives a driver nothing beyond their own orders while there is no assignment", async () => {
    const { id } = await orderOf(ANA);
    await moveTo(id, "PAID", "PREPARING", "OUT_FOR_DELIVERY");
    const before = await snapshot(id);
    const res = await graphql(ctx.url, CHANGE, { id, to: "DELIVERED" }, await ctx.signIn(undefined, "delivery"));
    expect(res.data!.changeOrderStatus.errors[0].code).toBe("ORDER_NOT_FOUND");
    expect(await snapshot(id)).toEqual(before);
  });
});
