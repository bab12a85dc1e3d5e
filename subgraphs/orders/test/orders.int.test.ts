import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { createLogger, parseConfig } from "@fv/platform";
import { CLOSED_PORT, graphql, listenForTest } from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildOrdersService } from "../src/server.js";
import { orderStatusChanges, orders } from "../src/db/schema.js";
import { ORDER_NUMBER_PATTERN, shopCalendarDate } from "../src/order-number.js";
import { insertDraftOrder } from "../src/orders.js";
import type { OrderStatus } from "../src/order-status.js";
import { AS_SERVICE, startOrders, type Headers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startOrders>>;
const STAFF_ID = randomUUID();
/** Support staff: may see every order, move it forward and cancel it. */
let staff: Headers;
beforeAll(async () => {
  ctx = await startOrders();
  staff = await ctx.signIn(STAFF_ID, "support");
});
afterAll(() => ctx?.stop());

const ORDER_FIELDS = /* GraphQL */ `
  id
  number
  status
  buyerEmail
  customer {
    id
  }
  subtotal
  discount
  deliveryFee
  total
  createdAt
  updatedAt
  nextStatuses
  statusHistory {
    from
    to
    changedBy
    note
    changedAt
  }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateDraftOrderInput!) {
    createDraftOrder(input: $input) {
      order { ${ORDER_FIELDS} }
      errors { field code message }
    }
  }
`;

const CHANGE = /* GraphQL */ `
  mutation Change($id: ID!, $to: OrderStatus!, $note: String) {
    changeOrderStatus(id: $id, to: $to, note: $note) {
      order { ${ORDER_FIELDS} }
      errors { field code message }
    }
  }
`;

const tableCounts = async () => {
  const [[o], [h]] = await Promise.all([
    ctx.store.db.select({ n: count() }).from(orders),
    ctx.store.db.select({ n: count() }).from(orderStatusChanges),
  ]);
  return { orders: o!.n, history: h!.n };
};

const historyOf = (orderId: string) =>
  ctx.store.db
    .select()
    .from(orderStatusChanges)
    .where(eq(orderStatusChanges.orderId, orderId))
    .orderBy(orderStatusChanges.id);

/** A guest order unless `as` signs someone in. */
async function createOrder(buyerEmail = "ana@example.cl", as: Headers = {}) {
  const res = await graphql(ctx.url, CREATE, { input: { buyerEmail } }, as);
  expect(res.data!.createDraftOrder.errors).toEqual([]);
  return res.data!.createDraftOrder.order as { id: string; number: string };
}

async function moveTo(id: string, ...path: OrderStatus[]) {
  for (const to of path) {
    const res = await graphql(ctx.url, CHANGE, { id, to }, staff);
    expect(res.data!.changeOrderStatus.errors).toEqual([]);
  }
}

describe("createDraftOrder", () => {
  it("opens an order awaiting payment for the signed-in customer, with zero amounts and its creation in the history", async () => {
    const customerId = randomUUID();
    const before = new Date();
    const res = await graphql(
      ctx.url,
      CREATE,
      { input: { buyerEmail: "  ana@example.cl " } },
      await ctx.signIn(customerId),
    );
    const { order, errors } = res.data!.createDraftOrder;
    expect(errors).toEqual([]);
    expect(order).toMatchObject({
      status: "PENDING_PAYMENT",
      buyerEmail: "ana@example.cl",
      customer: { id: customerId },
      subtotal: 0,
      discount: 0,
      deliveryFee: 0,
      total: 0,
      // What the customer may do: cancel, not mark it paid.
      nextStatuses: ["CANCELLED"],
      statusHistory: [{ from: null, to: "PENDING_PAYMENT", changedBy: customerId, note: null }],
    });
    expect(order.number).toMatch(ORDER_NUMBER_PATTERN);
    expect([shopCalendarDate(before), shopCalendarDate(new Date())]).toContain(order.number.slice(3, 11));

    const [stored] = await ctx.store.db.select().from(orders).where(eq(orders.id, order.id));
    expect(stored).toMatchObject({ number: order.number, status: "PENDING_PAYMENT", customerId, total: 0 });
    const history = await historyOf(order.id);
    expect(history).toMatchObject([{ fromStatus: null, toStatus: "PENDING_PAYMENT", changedBy: customerId }]);
  });

  it("reads the order back by id and by number (staff), and a guest order has no customer", async () => {
    const created = await createOrder("guest@example.cl");
    const query = /* GraphQL */ `
      query ($id: ID!, $number: String!) {
        order(id: $id) {
          id
          number
          customer {
            id
          }
        }
        orderByNumber(number: $number) {
          id
        }
      }
    `;
    const res = await graphql(ctx.url, query, { id: created.id, number: created.number.toLowerCase() }, staff);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      order: { id: created.id, number: created.number, customer: null },
      orderByNumber: { id: created.id },
    });
    const missing = await graphql(
      ctx.url,
      query,
      { id: "00000000-0000-0000-0000-000000000000", number: "FV-20260101-ZZZZZ" },
      staff,
    );
    expect(missing.data).toEqual({ order: null, orderByNumber: null });
  });

  it("names the wrong field and stores nothing", async () => {
    const before = await tableCounts();
    const res = await graphql(ctx.url, CREATE, { input: { buyerEmail: "ana-at-example.cl" } });
    const { order, errors } = res.data!.createDraftOrder;
    expect(order).toBeNull();
    expect(errors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`)).toEqual([
      "input.buyerEmail:INVALID_EMAIL",
    ]);
    expect(await tableCounts()).toEqual(before);
  });

  it("takes a new number when the drawn one is already used", async () => {
    const taken = await createOrder();
    const drawn = [taken.number, "FV-20260510-QQQQQ"];
    const guest = { buyerEmail: "b@example.cl", customerId: null, createdBy: "system" };
    const order = await insertDraftOrder(ctx.store.db, guest, () => {
      const next = drawn.shift();
      if (!next) throw new Error("drew more numbers than expected");
      return next;
    });
    expect(order.number).toBe("FV-20260510-QQQQQ");
    expect(drawn).toEqual([]);
    expect(await historyOf(order.id)).toHaveLength(1);
  });

  it("gives up after a few taken numbers and leaves nothing behind", async () => {
    const taken = await createOrder();
    const before = await tableCounts();
    let draws = 0;
    const guest = { buyerEmail: "c@example.cl", customerId: null, createdBy: "system" };
    const attempt = insertDraftOrder(ctx.store.db, guest, () => {
      draws++;
      return taken.number;
    });
    await expect(attempt).rejects.toThrow(/no free order number/);
    expect(draws).toBe(5);
    expect(await tableCounts()).toEqual(before);
  });
});

describe("changeOrderStatus", () => {
  it("moves an order along the table and records each change with its note", async () => {
    const { id } = await createOrder();
    await moveTo(id, "PAID");
    const res = await graphql(ctx.url, CHANGE, { id, to: "PREPARING", note: "  ramo armado por Carla " }, staff);
    const { order, errors } = res.data!.changeOrderStatus;
    expect(errors).toEqual([]);
    expect(order.status).toBe("PREPARING");
    expect(order.nextStatuses).toEqual(["OUT_FOR_DELIVERY", "CANCELLED"]);
    expect(order.statusHistory.map((c: { from: string | null; to: string; note: string | null }) => c)).toMatchObject([
      { from: null, to: "PENDING_PAYMENT", note: null, changedBy: "system" },
      { from: "PENDING_PAYMENT", to: "PAID", note: null, changedBy: STAFF_ID },
      { from: "PAID", to: "PREPARING", note: "ramo armado por Carla", changedBy: STAFF_ID },
    ]);
    expect(Date.parse(order.updatedAt)).toBeGreaterThanOrEqual(Date.parse(order.createdAt));

    const [stored] = await ctx.store.db.select().from(orders).where(eq(orders.id, id));
    expect(stored!.status).toBe("PREPARING");
    expect((await historyOf(id)).map((h) => h.toStatus)).toEqual(["PENDING_PAYMENT", "PAID", "PREPARING"]);
  });

  it("refuses a transition the table forbids, naming both statuses, and changes nothing", async () => {
    const { id } = await createOrder();
    await moveTo(id, "PAID", "PREPARING", "OUT_FOR_DELIVERY");
    const before = await tableCounts();
    const res = await graphql(ctx.url, CHANGE, { id, to: "CANCELLED" }, staff);
    expect(res.data!.changeOrderStatus.order).toBeNull();
    expect(res.data!.changeOrderStatus.errors).toEqual([
      {
        field: ["to"],
        code: "INVALID_TRANSITION",
        message: "an order cannot go from OUT_FOR_DELIVERY to CANCELLED",
      },
    ]);
    const [stored] = await ctx.store.db.select().from(orders).where(eq(orders.id, id));
    expect(stored!.status).toBe("OUT_FOR_DELIVERY");
    expect(await tableCounts()).toEqual(before);
  });

  it("says ORDER_NOT_FOUND for an unknown or malformed id", async () => {
    for (const id of ["00000000-0000-0000-0000-000000000000", "FV-20260101-ABCDE"]) {
      const res = await graphql(ctx.url, CHANGE, { id, to: "PAID" }, staff);
      expect(res.data!.changeOrderStatus).toMatchObject({
        order: null,
        errors: [{ field: ["id"], code: "ORDER_NOT_FOUND" }],
      });
    }
  });

  it("rejects a status that is not in the enum as BAD_USER_INPUT", async () => {
    const { id } = await createOrder();
    const res = await graphql(ctx.url, CHANGE, { id, to: "SHIPPED" }, staff);
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("applies exactly one of two concurrent changes from the same status", async () => {
    const rounds = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const { id } = await createOrder(`race${i}@example.cl`);
        await moveTo(id, "PAID", "PREPARING");
        // From PREPARING both are allowed, but neither is allowed after the other.
        const results = await Promise.all(
          (["OUT_FOR_DELIVERY", "CANCELLED"] as const).map((to) => graphql(ctx.url, CHANGE, { id, to }, staff)),
        );
        return { id, payloads: results.map((r) => r.data!.changeOrderStatus) };
      }),
    );
    for (const { id, payloads } of rounds) {
      const applied = payloads.filter((p) => p.errors.length === 0);
      const refused = payloads.filter((p) => p.errors.length > 0);
      expect(applied).toHaveLength(1);
      expect(refused[0]!.errors[0].code).toBe("INVALID_TRANSITION");
      const winner = applied[0]!.order.status;
      const [stored] = await ctx.store.db.select().from(orders).where(eq(orders.id, id));
      expect(stored!.status).toBe(winner);
      const fromPreparing = (await historyOf(id)).filter((h) => h.fromStatus === "PREPARING");
      expect(fromPreparing).toMatchObject([{ toStatus: winner }]);
    }
  });

  it("records a payment once when another service reports it twice at the same moment", async () => {
    const { id } = await createOrder();
    const results = await Promise.all([1, 2].map(() => graphql(ctx.url, CHANGE, { id, to: "PAID" }, AS_SERVICE)));
    const codes = results.map((r) => r.data!.changeOrderStatus.errors[0]?.code ?? "OK").sort();
    expect(codes).toEqual(["INVALID_TRANSITION", "OK"]);
    expect((await historyOf(id)).filter((h) => h.toStatus === "PAID")).toMatchObject([{ changedBy: "system" }]);
  });
});

describe("stores", () => {
  it("runs on embedded PGlite without a DATABASE_URL, migrating itself", async () => {
    const config = parseConfig(configShape, ctx.env);
    const service = await buildOrdersService(config, createLogger("orders", "silent"));
    try {
      const url = await listenForTest(service);
      const created = await graphql(url, CREATE, { input: { buyerEmail: "pglite@example.cl" } });
      const { id } = created.data!.createDraftOrder.order;
      const changed = await graphql(url, CHANGE, { id, to: "PAID" }, AS_SERVICE);
      expect(changed.data!.changeOrderStatus.order.statusHistory).toHaveLength(2);
    } finally {
      await service.stop();
    }
  }, 60_000); // PGlite compiles its WebAssembly first: seconds on a small machine.

  it("starts with PostgreSQL down, live and not ready", async () => {
    const config = parseConfig(configShape, {
      ...ctx.env,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${CLOSED_PORT}/orders`,
    });
    const service = await buildOrdersService(config, createLogger("orders", "silent"));
    try {
      const url = await listenForTest(service);
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "unavailable", checks: { postgres: { ok: false } } });
    } finally {
      await service.stop();
    }
  });
});
