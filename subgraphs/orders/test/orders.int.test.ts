import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq, sql } from "drizzle-orm";
import { createLogger, parseConfig } from "@fv/platform";
import { CLOSED_PORT, graphql, listenForTest } from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildOrdersService, createStore, migrationsFolder } from "../src/server.js";
import { orderStatusChanges, orders, outbox, reservationTasks } from "../src/db/schema.js";
import { ORDER_NUMBER_PATTERN, shopCalendarDate } from "../src/order-number.js";
import { insertOrder, type NewOrder } from "../src/orders.js";
import { ORDER_EVENT_TYPES } from "../src/order-events.js";
import type { OrderStatus } from "../src/order-status.js";
import { AS_SERVICE, seedOrder, startOrders, type Headers } from "./helpers.js";

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

const CHANGE = /* GraphQL */ `
  mutation Change($id: ID!, $to: OrderStatus!, $note: String) {
    changeOrderStatus(id: $id, to: $to, note: $note) {
      order { ${ORDER_FIELDS} }
      errors { field code message }
    }
  }
`;

/** Every row a status change or a new order writes, to show a refusal wrote none. */
const tableCounts = async () => {
  const [[o], [h], [e], [t]] = await Promise.all([
    ctx.store.db.select({ n: count() }).from(orders),
    ctx.store.db.select({ n: count() }).from(orderStatusChanges),
    ctx.store.db.select({ n: count() }).from(outbox),
    ctx.store.db.select({ n: count() }).from(reservationTasks),
  ]);
  return { orders: o!.n, history: h!.n, events: e!.n, reservationTasks: t!.n };
};

const historyOf = (orderId: string) =>
  ctx.store.db
    .select()
    .from(orderStatusChanges)
    .where(eq(orderStatusChanges.orderId, orderId))
    .orderBy(orderStatusChanges.id);

/** The event types written to the outbox for an order, in the order they were written. */
const eventsOf = async (orderId: string) =>
  (
    await ctx.store.db
      .select({ event: outbox.event, stream: outbox.stream })
      .from(outbox)
      .where(sql`${outbox.event}->'data'->>'orderId' = ${orderId}`)
      .orderBy(outbox.createdAt)
  ).map((row) => ({ type: row.event.type, stream: row.stream, data: row.event.data }));

/** A guest order awaiting payment unless `customerId` names its customer. */
const createOrder = (buyerEmail = "ana@example.cl", customerId: string | null = null) =>
  seedOrder(ctx.store.db, { buyerEmail, customerId, stream: ctx.stream });

/** What checkout would insert for a guest, without lines. */
const guestOrder = (buyerEmail: string): NewOrder => ({
  buyerEmail,
  paymentExpiresAt: new Date(Date.now() + 3_600_000),
});

async function moveTo(id: string, ...path: OrderStatus[]) {
  for (const to of path) {
    const res = await graphql(ctx.url, CHANGE, { id, to }, staff);
    expect(res.data!.changeOrderStatus.errors).toEqual([]);
  }
}

const READ = /* GraphQL */ `
  query Read($id: ID!) {
    order(id: $id) { ${ORDER_FIELDS} }
  }
`;

describe("reading orders", () => {
  it("shows the customer their order as placed: awaiting payment, its amounts, its number and its creation", async () => {
    const customerId = randomUUID();
    const before = new Date();
    const seeded = await seedOrder(ctx.store.db, {
      customerId,
      buyerEmail: "ana@example.cl",
      total: 12_990,
      stream: ctx.stream,
    });
    const res = await graphql(ctx.url, READ, { id: seeded.id }, await ctx.signIn(customerId));
    expect(res.errors).toBeUndefined();
    const order = res.data!.order;
    expect(order).toMatchObject({
      id: seeded.id,
      status: "PENDING_PAYMENT",
      buyerEmail: "ana@example.cl",
      customer: { id: customerId },
      subtotal: 12_990,
      discount: 0,
      deliveryFee: 0,
      total: 12_990,
      // What the customer may do: cancel, not mark it paid.
      nextStatuses: ["CANCELLED"],
      statusHistory: [{ from: null, to: "PENDING_PAYMENT", changedBy: customerId, note: null }],
    });
    expect(order.number).toMatch(ORDER_NUMBER_PATTERN);
    expect([shopCalendarDate(before), shopCalendarDate(new Date())]).toContain(order.number.slice(3, 11));
    // Placing it wrote its event in the same transaction, on the service's stream.
    expect(await eventsOf(seeded.id)).toMatchObject([
      { type: ORDER_EVENT_TYPES.placed, stream: ctx.stream, data: { number: order.number, customerId } },
    ]);
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
    const res = await graphql(ctx.url, query, { id: created.id, number: ` ${created.number.toLowerCase()} ` }, staff);
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
    expect(missing.errors).toBeUndefined();
    expect(missing.data).toEqual({ order: null, orderByNumber: null });
  });
});

describe("order numbers", () => {
  it("takes a new number when the drawn one is already used", async () => {
    const taken = await createOrder();
    const drawn = [taken.number, "FV-20260510-QQQQQ"];
    const placed = await ctx.store.db.transaction((tx) =>
      insertOrder(
        tx,
        { order: guestOrder("b@example.cl"), lines: [], createdBy: "guest", ordersStream: ctx.stream },
        () => {
          const next = drawn.shift();
          if (!next) throw new Error("drew more numbers than expected");
          return next;
        },
      ),
    );
    expect(placed!.order).toMatchObject({ number: "FV-20260510-QQQQQ", status: "PENDING_PAYMENT" });
    expect(drawn).toEqual([]);
    expect(await historyOf(placed!.order.id)).toHaveLength(1);
    expect((await eventsOf(placed!.order.id)).map((e) => e.type)).toEqual([ORDER_EVENT_TYPES.placed]);
    // The order that held the number first is untouched.
    const [first] = await ctx.store.db.select().from(orders).where(eq(orders.number, taken.number));
    expect(first!.id).toBe(taken.id);
  });

  it("gives up after five taken numbers and leaves nothing behind", async () => {
    const taken = await createOrder();
    const before = await tableCounts();
    let draws = 0;
    const attempt = ctx.store.db.transaction((tx) =>
      insertOrder(
        tx,
        { order: guestOrder("c@example.cl"), lines: [], createdBy: "guest", ordersStream: ctx.stream },
        () => {
          draws++;
          return taken.number;
        },
      ),
    );
    await expect(attempt).rejects.toThrow(/no free order number/);
    expect(draws).toBe(5);
    expect(await tableCounts()).toEqual(before);
  });

  it("gives no second order for an idempotency key another order already holds", async () => {
    const key = { idempotencyScope: `guest:${randomUUID()}@example.cl`, idempotencyKey: randomUUID() };
    const insert = () =>
      ctx.store.db.transaction((tx) =>
        insertOrder(tx, {
          order: { ...guestOrder("d@example.cl"), ...key },
          lines: [],
          createdBy: "guest",
          ordersStream: ctx.stream,
        }),
      );
    const first = await insert();
    expect(first!.order.idempotencyKey).toBe(key.idempotencyKey);
    const before = await tableCounts();
    expect(await insert()).toBeNull();
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
      { from: null, to: "PENDING_PAYMENT", note: null },
      { from: "PENDING_PAYMENT", to: "PAID", note: null, changedBy: STAFF_ID },
      { from: "PAID", to: "PREPARING", note: "ramo armado por Carla", changedBy: STAFF_ID },
    ]);
    expect(Date.parse(order.updatedAt)).toBeGreaterThanOrEqual(Date.parse(order.createdAt));

    const [stored] = await ctx.store.db.select().from(orders).where(eq(orders.id, id));
    expect(stored!.status).toBe("PREPARING");
    expect((await historyOf(id)).map((h) => h.toStatus)).toEqual(["PENDING_PAYMENT", "PAID", "PREPARING"]);
  });

  it("writes each change's events with it: status_changed always, order_paid and order_cancelled at those milestones", async () => {
    const customerId = randomUUID();
    const { id, number } = await createOrder("ana@example.cl", customerId);
    await moveTo(id, "PAID");
    const res = await graphql(ctx.url, CHANGE, { id, to: "CANCELLED" }, staff);
    expect(res.data!.changeOrderStatus.errors).toEqual([]);
    const who = { orderId: id, number, email: "ana@example.cl", customerId };
    expect(await eventsOf(id)).toEqual([
      { type: ORDER_EVENT_TYPES.placed, stream: ctx.stream, data: expect.objectContaining(who) },
      {
        type: ORDER_EVENT_TYPES.statusChanged,
        stream: ctx.stream,
        data: expect.objectContaining({ ...who, from: "PENDING_PAYMENT", status: "PAID" }),
      },
      { type: ORDER_EVENT_TYPES.paid, stream: ctx.stream, data: expect.objectContaining(who) },
      {
        type: ORDER_EVENT_TYPES.statusChanged,
        stream: ctx.stream,
        data: expect.objectContaining({ ...who, from: "PAID", status: "CANCELLED" }),
      },
      {
        type: ORDER_EVENT_TYPES.cancelled,
        stream: ctx.stream,
        data: expect.objectContaining({ ...who, from: "PAID", refundDue: true }),
      },
    ]);
  });

  it("marks a paid order cancelled for refund, and an unpaid one not", async () => {
    const paid = await createOrder();
    await moveTo(paid.id, "PAID", "CANCELLED");
    const unpaid = await createOrder();
    await moveTo(unpaid.id, "CANCELLED");
    const rows = await ctx.store.db
      .select({ id: orders.id, refundDue: orders.refundDue, paymentStatus: orders.paymentStatus })
      .from(orders)
      .where(sql`${orders.id} in (${paid.id}, ${unpaid.id})`);
    expect(rows).toEqual(
      expect.arrayContaining([
        { id: paid.id, refundDue: true, paymentStatus: "APPROVED" },
        { id: unpaid.id, refundDue: false, paymentStatus: "PENDING" },
      ]),
    );
    expect(rows).toHaveLength(2);
  });

  it("asks products to confirm a paid order's reservation and release a cancelled one's, and nothing without one", async () => {
    const [paid, cancelled, without] = await Promise.all([createOrder(), createOrder(), createOrder()]);
    const refs = { paid: `ref-${randomUUID()}`, cancelled: `ref-${randomUUID()}` };
    await ctx.store.db.update(orders).set({ reservationRef: refs.paid }).where(eq(orders.id, paid.id));
    await ctx.store.db.update(orders).set({ reservationRef: refs.cancelled }).where(eq(orders.id, cancelled.id));
    const tasksBefore = (await tableCounts()).reservationTasks;
    await moveTo(without.id, "PAID", "CANCELLED");
    expect((await tableCounts()).reservationTasks).toBe(tasksBefore);

    await moveTo(paid.id, "PAID");
    await moveTo(cancelled.id, "CANCELLED");
    const tasks = await ctx.store.db
      .select({ orderRef: reservationTasks.orderRef, action: reservationTasks.action })
      .from(reservationTasks)
      .where(sql`${reservationTasks.orderRef} in (${refs.paid}, ${refs.cancelled})`);
    expect(tasks).toEqual(
      expect.arrayContaining([
        { orderRef: refs.paid, action: "CONFIRM" },
        { orderRef: refs.cancelled, action: "RELEASE" },
      ]),
    );
    expect(tasks).toHaveLength(2);
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
    const dir = await mkdtemp(join(tmpdir(), "orders-pglite-"));
    try {
      const config = parseConfig(configShape, { ...ctx.env, PGLITE_DIR: dir });
      const service = await buildOrdersService(config, createLogger("orders", "silent"));
      let url: string;
      try {
        url = await listenForTest(service);
        // Migrated at start: its tables answer.
        const list = await graphql(
          url,
          `
            {
              orders {
                totalCount
              }
            }
          `,
          {},
          staff,
        );
        expect(list.errors).toBeUndefined();
        expect(list.data!.orders.totalCount).toBe(0);
      } finally {
        await service.stop();
      }
      // An order placed in the same directory while the service is down (PGlite has one user at a time)…
      const store = createStore(config, createLogger("orders-test", "silent"));
      let id: string;
      try {
        await store.migrate(migrationsFolder);
        ({ id } = await seedOrder(store.db, { buyerEmail: "pglite@example.cl", stream: ctx.stream }));
      } finally {
        await store.close();
      }
      // …is there, and moves, once it is back.
      const again = await buildOrdersService(config, createLogger("orders", "silent"));
      try {
        url = await listenForTest(again);
        const changed = await graphql(url, CHANGE, { id, to: "PAID" }, AS_SERVICE);
        expect(changed.data!.changeOrderStatus.errors).toEqual([]);
        expect(changed.data!.changeOrderStatus.order.statusHistory).toMatchObject([
          { from: null, to: "PENDING_PAYMENT" },
          { from: "PENDING_PAYMENT", to: "PAID", changedBy: "system" },
        ]);
      } finally {
        await again.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000); // PGlite compiles its WebAssembly first: seconds on a small machine, and it starts three times.

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
