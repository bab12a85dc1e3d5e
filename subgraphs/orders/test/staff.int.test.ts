import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import type { EventEnvelope, Role } from "@fv/platform";
import { orderStatusChanges, orders, outbox, type OrderRow } from "../src/db/schema.js";
import { insertOrder } from "../src/orders.js";
import { ORDER_EVENT_TYPES } from "../src/order-events.js";
import type { OrderStatus } from "../src/order-status.js";
import { seedOrder, startOrders, type Headers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startOrders>>;
const ANA = randomUUID();
const DRIVER_1 = randomUUID();
const DRIVER_2 = randomUUID();
let ana: Headers;
let support: Headers;
let driver1: Headers;
let driver2: Headers;
beforeAll(async () => {
  ctx = await startOrders();
  [ana, support, driver1, driver2] = await Promise.all([
    ctx.signIn(ANA),
    ctx.signIn(undefined, "support"),
    ctx.signIn(DRIVER_1, "delivery"),
    ctx.signIn(DRIVER_2, "delivery"),
  ]);
});
afterAll(() => ctx?.stop());

const ASSIGN = /* GraphQL */ `
  mutation ($orderId: ID!, $driverId: ID!) {
    assignDriver(orderId: $orderId, driverId: $driverId) {
      order {
        id
        driverId
      }
      errors {
        field
        code
        message
      }
    }
  }
`;
const CHANGE = /* GraphQL */ `
  mutation ($id: ID!, $to: OrderStatus!) {
    changeOrderStatus(id: $id, to: $to) {
      order {
        status
        nextStatuses
        statusHistory {
          from
          to
          changedBy
        }
      }
      errors {
        field
        code
      }
    }
  }
`;
const READ = /* GraphQL */ `
  query ($id: ID!, $number: String!) {
    order(id: $id) {
      id
      driverId
      nextStatuses
    }
    orderByNumber(number: $number) {
      id
    }
  }
`;
const LIST = /* GraphQL */ `
  query ($filter: OrderFilter, $first: Int, $after: String) {
    orders(filter: $filter, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
  }
`;
const MY_ORDERS = /* GraphQL */ `
  query ($first: Int, $after: String) {
    myOrders(first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          customer {
            id
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
  }
`;

/** An order awaiting payment (a guest's unless `customerId`), publishing on this service's stream. */
const seed = (customerId: string | null = ANA) =>
  seedOrder(ctx.store.db, { customerId, buyerEmail: "cliente@example.cl", stream: ctx.stream });

async function moveTo(id: string, ...path: OrderStatus[]) {
  for (const to of path) {
    const res = await graphql(ctx.url, CHANGE, { id, to }, support);
    expect(res.data!.changeOrderStatus.errors).toEqual([]);
  }
}

async function assign(orderId: string, driverId: string) {
  const res = await graphql(ctx.url, ASSIGN, { orderId, driverId }, support);
  expect(res.data!.assignDriver.errors).toEqual([]);
}

const stored = async (id: string) => (await ctx.store.db.select().from(orders).where(eq(orders.id, id)))[0]!;

/** Sets columns checkout or earlier moves would have set (dates, address, status) straight in the database. */
const setColumns = (id: string, set: Partial<OrderRow>) =>
  ctx.store.db.update(orders).set(set).where(eq(orders.id, id));

/** A connection as the lists return it. */
interface Page<Node> {
  totalCount: number;
  edges: { node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

const ids = (connection: { edges: { node: { id: string } }[] }) => connection.edges.map((e) => e.node.id);

/** Newest first, as the lists promise: by creation, then by id. */
const newestFirst = (rows: OrderRow[]) =>
  [...rows]
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((row) => row.id);

describe("assignDriver", () => {
  it.each<Role>(["support", "manager", "admin"])(
    "lets %s staff assign a driver, stored by id in lower case",
    async (role) => {
      const order = await seed();
      const res = await graphql(
        ctx.url,
        ASSIGN,
        { orderId: order.id, driverId: DRIVER_1.toUpperCase() },
        await ctx.signIn(undefined, role),
      );
      expect(res.errors).toBeUndefined();
      expect(res.data!.assignDriver).toEqual({ order: { id: order.id, driverId: DRIVER_1 }, errors: [] });
      const row = await stored(order.id);
      expect(row.driverId).toBe(DRIVER_1);
      expect(row.updatedAt.getTime()).toBeGreaterThanOrEqual(order.updatedAt.getTime());
    },
  );

  it("forbids florists, drivers and customers (even the order's own), and asks anonymous callers to sign in", async () => {
    const order = await seed();
    await assign(order.id, DRIVER_1);
    const callers: [Headers, string][] = [
      [await ctx.signIn(undefined, "florist"), "FORBIDDEN"],
      [driver2, "FORBIDDEN"],
      [ana, "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ];
    for (const [as, code] of callers) {
      const res = await graphql(ctx.url, ASSIGN, { orderId: order.id, driverId: DRIVER_2 }, as);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data?.assignDriver ?? null).toBeNull();
    }
    expect((await stored(order.id)).driverId).toBe(DRIVER_1);
  });

  it("says ORDER_NOT_FOUND, naming orderId, for an unknown or malformed order id", async () => {
    for (const orderId of [randomUUID(), "FV-20260101-ABCDE"]) {
      const res = await graphql(ctx.url, ASSIGN, { orderId, driverId: DRIVER_1 }, support);
      expect(res.errors).toBeUndefined();
      expect(res.data!.assignDriver).toMatchObject({
        order: null,
        errors: [{ field: ["orderId"], code: "ORDER_NOT_FOUND" }],
      });
    }
  });

  it("refuses a driver id that is not a user id, leaving the order as it was", async () => {
    const order = await seed();
    for (const driverId of ["driver-7", ""]) {
      const res = await graphql(ctx.url, ASSIGN, { orderId: order.id, driverId }, support);
      expect(res.data!.assignDriver).toMatchObject({
        order: null,
        errors: [{ field: ["driverId"], code: "INVALID_DRIVER" }],
      });
    }
    const row = await stored(order.id);
    expect(row.driverId).toBeNull();
    expect(row.updatedAt).toEqual(order.updatedAt);
  });

  it("hands the order over when another driver is assigned: the first loses sight of it", async () => {
    const order = await seed();
    await assign(order.id, DRIVER_1);
    await assign(order.id, DRIVER_2);
    const vars = { id: order.id, number: order.number };
    expect((await graphql(ctx.url, READ, vars, driver1)).data).toEqual({ order: null, orderByNumber: null });
    expect((await graphql(ctx.url, READ, vars, driver2)).data).toMatchObject({
      order: { id: order.id, driverId: DRIVER_2 },
      orderByNumber: { id: order.id },
    });
  });
});

describe("drivers", () => {
  it("see an order assigned to them, by id and by number, and no other", async () => {
    const [mine, theirs, nobodys] = await Promise.all([seed(), seed(), seed(null)]);
    await assign(mine.id, DRIVER_1);
    await assign(theirs.id, DRIVER_2);
    const read = (order: OrderRow) => graphql(ctx.url, READ, { id: order.id, number: order.number }, driver1);

    const own = await read(mine);
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({
      // Nothing to do yet: the order is not prepared.
      order: { id: mine.id, driverId: DRIVER_1, nextStatuses: [] },
      orderByNumber: { id: mine.id },
    });
    for (const other of [theirs, nobodys]) {
      const res = await read(other);
      expect(res.errors).toBeUndefined();
      expect(res.data).toEqual({ order: null, orderByNumber: null });
    }
  });

  it("list only the orders assigned to them, whatever the filter asks", async () => {
    const driverId = randomUUID();
    const driver = await ctx.signIn(driverId, "delivery");
    const [paid, preparing, elsewhere] = await Promise.all([seed(), seed(null), seed()]);
    await moveTo(paid.id, "PAID");
    await moveTo(preparing.id, "PAID", "PREPARING");
    await moveTo(elsewhere.id, "PAID");
    await assign(paid.id, driverId);
    await assign(preparing.id, driverId);
    await assign(elsewhere.id, DRIVER_2);
    const expected = newestFirst(
      await ctx.store.db
        .select()
        .from(orders)
        .where(inArray(orders.id, [paid.id, preparing.id])),
    );

    const all = await graphql(ctx.url, LIST, {}, driver);
    expect(all.errors).toBeUndefined();
    expect(all.data!.orders.totalCount).toBe(2);
    expect(ids(all.data!.orders)).toEqual(expected);

    // A filter that would take in every order still gives only theirs.
    const wide = await graphql(
      ctx.url,
      LIST,
      {
        filter: {
          status: ["PENDING_PAYMENT", "PAID", "PREPARING", "OUT_FOR_DELIVERY", "DELIVERED", "CANCELLED"],
          createdFrom: "2000-01-01T00:00:00.000Z",
          createdTo: "2100-01-01T00:00:00.000Z",
        },
      },
      driver,
    );
    expect(wide.data!.orders.totalCount).toBe(2);
    expect(ids(wide.data!.orders)).toEqual(expected);

    // A filter narrows their list as it narrows anyone's.
    const narrow = await graphql(ctx.url, LIST, { filter: { status: ["PREPARING"] } }, driver);
    expect(ids(narrow.data!.orders)).toEqual([preparing.id]);
    expect(narrow.data!.orders.totalCount).toBe(1);

    // A driver with nothing assigned has an empty list.
    const idle = await graphql(ctx.url, LIST, {}, await ctx.signIn(undefined, "delivery"));
    expect(idle.data!.orders).toMatchObject({ totalCount: 0, edges: [] });
  });

  it("move an order assigned to them out for delivery and delivered, recorded under their id", async () => {
    const order = await seed();
    await moveTo(order.id, "PAID", "PREPARING");
    await assign(order.id, DRIVER_1);

    const out = await graphql(ctx.url, CHANGE, { id: order.id, to: "OUT_FOR_DELIVERY" }, driver1);
    expect(out.data!.changeOrderStatus).toMatchObject({
      errors: [],
      order: { status: "OUT_FOR_DELIVERY", nextStatuses: ["DELIVERED"] },
    });
    const delivered = await graphql(ctx.url, CHANGE, { id: order.id, to: "DELIVERED" }, driver1);
    expect(delivered.data!.changeOrderStatus).toMatchObject({
      errors: [],
      order: { status: "DELIVERED", nextStatuses: [] },
    });
    expect(delivered.data!.changeOrderStatus.order.statusHistory.slice(-2)).toEqual([
      { from: "PREPARING", to: "OUT_FOR_DELIVERY", changedBy: DRIVER_1 },
      { from: "OUT_FOR_DELIVERY", to: "DELIVERED", changedBy: DRIVER_1 },
    ]);
    expect((await stored(order.id)).status).toBe("DELIVERED");
  });

  it("may not cancel an order assigned to them, nor do the florist's work on it", async () => {
    const preparing = await seed();
    await moveTo(preparing.id, "PAID", "PREPARING");
    await assign(preparing.id, DRIVER_1);
    const paid = await seed();
    await moveTo(paid.id, "PAID");
    await assign(paid.id, DRIVER_1);

    for (const [order, to] of [
      [preparing, "CANCELLED"],
      [paid, "PREPARING"],
      [paid, "CANCELLED"],
    ] as const) {
      const before = await stored(order.id);
      const res = await graphql(ctx.url, CHANGE, { id: order.id, to }, driver1);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
      expect(res.data?.changeOrderStatus ?? null).toBeNull();
      expect(await stored(order.id)).toEqual(before);
    }
    const history = await ctx.store.db
      .select()
      .from(orderStatusChanges)
      .where(inArray(orderStatusChanges.orderId, [preparing.id, paid.id]));
    expect(history.filter((h) => h.changedBy === DRIVER_1)).toEqual([]);
  });

  it("may not move an order that is not assigned to them: to them it does not exist", async () => {
    const unassigned = await seed();
    await moveTo(unassigned.id, "PAID", "PREPARING");
    const elsewhere = await seed();
    await moveTo(elsewhere.id, "PAID", "PREPARING");
    await assign(elsewhere.id, DRIVER_2);
    for (const order of [unassigned, elsewhere]) {
      const res = await graphql(ctx.url, CHANGE, { id: order.id, to: "OUT_FOR_DELIVERY" }, driver1);
      expect(res.errors).toBeUndefined();
      expect(res.data!.changeOrderStatus).toMatchObject({
        order: null,
        errors: [{ field: ["id"], code: "ORDER_NOT_FOUND" }],
      });
      expect((await stored(order.id)).status).toBe("PREPARING");
    }
  });
});

describe("myOrders", () => {
  it("pages the signed-in customer's own orders newest first, without duplicates or gaps", async () => {
    const customerId = randomUUID();
    const customer = await ctx.signIn(customerId);
    const seeded = await Promise.all(Array.from({ length: 5 }, () => seed(customerId)));
    await seed(); // Ana's: not in this customer's list.
    // Two orders placed in the same millisecond: the id decides, and the cursor must not lose either.
    const instants = ["2026-01-01T10:00:00.000Z", "2026-01-02T10:00:00.000Z", "2026-01-02T10:00:00.000Z"];
    for (const [i, instant] of instants.entries()) await setColumns(seeded[i]!.id, { createdAt: new Date(instant) });
    const expected = newestFirst(await ctx.store.db.select().from(orders).where(eq(orders.customerId, customerId)));
    expect(expected).toHaveLength(5);

    const seen: string[] = [];
    const pages: { hasNextPage: boolean; hasPreviousPage: boolean }[] = [];
    let after: string | null = null;
    do {
      const res: GraphQLResponse<{ myOrders: Page<{ id: string; customer: { id: string } }> }> = await graphql(
        ctx.url,
        MY_ORDERS,
        { first: 2, after },
        customer,
      );
      expect(res.errors).toBeUndefined();
      const page = res.data!.myOrders;
      expect(page.totalCount).toBe(5);
      expect(page.edges.every((e) => e.node.customer.id === customerId)).toBe(true);
      seen.push(...ids(page));
      pages.push({ hasNextPage: page.pageInfo.hasNextPage, hasPreviousPage: page.pageInfo.hasPreviousPage });
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after && pages.length < 10);
    expect(seen).toEqual(expected);
    expect(pages).toEqual([
      { hasNextPage: true, hasPreviousPage: false },
      { hasNextPage: true, hasPreviousPage: true },
      { hasNextPage: false, hasPreviousPage: true },
    ]);
  });

  it("is empty for a customer without orders, and asks an anonymous caller to sign in", async () => {
    const none = await graphql(ctx.url, MY_ORDERS, {}, await ctx.signIn());
    expect(none.data!.myOrders).toEqual({
      totalCount: 0,
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null },
    });
    const anonymous = await graphql(ctx.url, MY_ORDERS, {});
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(anonymous.data?.myOrders ?? null).toBeNull();
  });

  it("rejects a forged cursor and a page size outside 1–100 as BAD_USER_INPUT", async () => {
    for (const vars of [{ after: "bm9wZQ" }, { first: 101 }, { first: 0 }]) {
      const res = await graphql(ctx.url, MY_ORDERS, vars, ana);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});

describe("orders (staff list)", () => {
  /**
   * Orders from a window of their own, long before anything else in this database: filters
   * combined with that window see only these.
   */
  let fixture: Record<"a" | "b" | "c" | "d" | "e", string>;
  const WINDOW = { createdFrom: "2019-05-01T00:00:00.000Z", createdTo: "2019-05-03T00:00:00.000Z" };
  beforeAll(async () => {
    const rows: [string, OrderStatus, string, string | null][] = [
      // exactly at createdFrom: in the window
      ["2019-05-01T00:00:00.000Z", "PAID", "2019-05-03", "Ñuñoa"],
      ["2019-05-01T12:00:00.000Z", "PREPARING", "2019-05-03", "Providencia"],
      ["2019-05-02T00:00:00.000Z", "PAID", "2019-05-04", null],
      // exactly at createdTo: after the window
      ["2019-05-03T00:00:00.000Z", "PAID", "2019-05-03", "Ñuñoa"],
      // a millisecond before the window
      ["2019-04-30T23:59:59.999Z", "PAID", "2019-05-03", "Ñuñoa"],
    ];
    const seeded = await Promise.all(rows.map(() => seed()));
    await Promise.all(
      rows.map(([createdAt, status, deliveryDate, commune], i) =>
        setColumns(seeded[i]!.id, {
          createdAt: new Date(createdAt),
          status,
          deliveryDate,
          addressStreet: commune ? "Av. Irarrázaval 1234" : null,
          addressCommune: commune,
        }),
      ),
    );
    const [a, b, c, d, e] = seeded.map((o) => o.id) as [string, string, string, string, string];
    fixture = { a, b, c, d, e };
  });

  const list = async (filter: Record<string, unknown>, as: Headers = support) => {
    const res = await graphql(ctx.url, LIST, { filter }, as);
    expect(res.errors).toBeUndefined();
    return { ids: ids(res.data!.orders), totalCount: res.data!.orders.totalCount as number };
  };

  it("filters by creation: from inclusive, to exclusive, newest first", async () => {
    const { a, b, c } = fixture;
    expect(await list(WINDOW)).toEqual({ ids: [c, b, a], totalCount: 3 });
  });

  it("filters by status, one or several", async () => {
    const { a, b, c } = fixture;
    expect(await list({ ...WINDOW, status: ["PAID"] })).toEqual({ ids: [c, a], totalCount: 2 });
    expect(await list({ ...WINDOW, status: ["PREPARING", "PAID"] })).toEqual({ ids: [c, b, a], totalCount: 3 });
    expect(await list({ ...WINDOW, status: ["DELIVERED"] })).toEqual({ ids: [], totalCount: 0 });
  });

  it("filters by delivery date", async () => {
    const { a, b, d, e } = fixture;
    expect(await list({ deliveryDate: "2019-05-03" })).toEqual({ ids: [d, b, a, e], totalCount: 4 });
    expect(await list({ ...WINDOW, deliveryDate: "2019-05-05" })).toEqual({ ids: [], totalCount: 0 });
  });

  it("filters by commune as the customer writes it: without accents, in any case", async () => {
    const { a, b, d, e } = fixture;
    const ofDate = { deliveryDate: "2019-05-03" };
    for (const commune of ["nunoa", " ÑUÑOA ", "Ñuñoa"])
      expect(await list({ ...ofDate, commune })).toEqual({ ids: [d, a, e], totalCount: 3 });
    expect(await list({ ...ofDate, commune: "providencia" })).toEqual({ ids: [b], totalCount: 1 });
    expect(await list({ ...ofDate, commune: "Valparaíso" })).toEqual({ ids: [], totalCount: 0 });
  });

  it("shows the same list to a florist (orders:view_all), and pages it", async () => {
    const { a, b, c } = fixture;
    const florist = await ctx.signIn(undefined, "florist");
    const first = await graphql(ctx.url, LIST, { filter: WINDOW, first: 2 }, florist);
    expect(ids(first.data!.orders)).toEqual([c, b]);
    expect(first.data!.orders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const rest = await graphql(
      ctx.url,
      LIST,
      { filter: WINDOW, first: 2, after: first.data!.orders.pageInfo.endCursor },
      florist,
    );
    expect(ids(rest.data!.orders)).toEqual([a]);
    expect(rest.data!.orders).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: false, hasPreviousPage: true } });
  });

  it("is FORBIDDEN to customers and asks anonymous callers to sign in", async () => {
    for (const [as, code] of [
      [ana, "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      const res = await graphql(ctx.url, LIST, { filter: WINDOW }, as);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data?.orders ?? null).toBeNull();
    }
  });

  it("rejects a malformed delivery date, a forged cursor and a page of more than 100 as BAD_USER_INPUT", async () => {
    for (const vars of [
      { filter: { deliveryDate: "03/05/2019" } },
      { filter: { deliveryDate: "2019-02-30" } },
      { after: "bm9wZQ" },
      { after: Buffer.from(JSON.stringify(["not a date", randomUUID()])).toString("base64url") },
      { first: 101 },
    ]) {
      const res = await graphql(ctx.url, LIST, vars, support);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe("BAD_USER_INPUT");
      expect(res.data?.orders ?? null).toBeNull();
    }
  });
});

describe("events", () => {
  /** The events of one order on the stream, once `done` says they are all there (the relay runs every 500 ms). */
  async function relayedEvents(orderId: string, done: (events: EventEnvelope[]) => boolean) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const events = (await ctx.events()).filter((e) => (e.data as { orderId?: string }).orderId === orderId);
      if (done(events) || Date.now() > deadline) return events;
      await sleep(100);
    }
  }
  const ofType = (events: EventEnvelope[], type: string) => events.filter((e) => e.type === type);

  it("relays every status change, and a customer's delivery with who received which products", async () => {
    const productIds = [randomUUID(), randomUUID()];
    const placed = await ctx.store.db.transaction((tx) =>
      insertOrder(tx, {
        order: {
          customerId: ANA,
          buyerEmail: "ana@example.cl",
          buyerName: "Ana",
          subtotal: 40_000,
          total: 40_000,
          paymentExpiresAt: new Date(Date.now() + 3_600_000),
        },
        lines: productIds.map((productId, i) => ({
          productId,
          sku: `AML00${i + 1}`,
          name: `Ramo ${i + 1}`,
          unitPrice: 20_000,
          quantity: 1,
          lineTotal: 20_000,
        })),
        createdBy: ANA,
        ordersStream: ctx.stream,
      }),
    );
    const order = placed!.order;
    await moveTo(order.id, "PAID", "PREPARING");
    await assign(order.id, DRIVER_1);
    for (const to of ["OUT_FOR_DELIVERY", "DELIVERED"] as const) {
      const res = await graphql(ctx.url, CHANGE, { id: order.id, to }, driver1);
      expect(res.data!.changeOrderStatus.errors).toEqual([]);
    }

    const events = await relayedEvents(order.id, (e) => ofType(e, ORDER_EVENT_TYPES.delivered).length > 0);
    expect(
      ofType(events, ORDER_EVENT_TYPES.statusChanged).map((e) => e.data as { from: string; status: string }),
    ).toMatchObject([
      { from: "PENDING_PAYMENT", status: "PAID" },
      { from: "PAID", status: "PREPARING" },
      { from: "PREPARING", status: "OUT_FOR_DELIVERY" },
      { from: "OUT_FOR_DELIVERY", status: "DELIVERED" },
    ]);
    expect(ofType(events, ORDER_EVENT_TYPES.statusChanged)[0]!.data).toMatchObject({
      orderId: order.id,
      number: order.number,
      email: "ana@example.cl",
      customerId: ANA,
    });
    const delivered = ofType(events, ORDER_EVENT_TYPES.delivered);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.data).toMatchObject({ orderId: order.id, userId: ANA, productIds });
    // Each event once, whatever the relay's timing.
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });

  it("relays a guest order's delivery as a status change only: there is no user to credit", async () => {
    const order = await seed(null);
    await moveTo(order.id, "PAID", "PREPARING", "OUT_FOR_DELIVERY", "DELIVERED");
    const events = await relayedEvents(order.id, (e) =>
      ofType(e, ORDER_EVENT_TYPES.statusChanged).some((x) => (x.data as { status: string }).status === "DELIVERED"),
    );
    expect(ofType(events, ORDER_EVENT_TYPES.statusChanged)).toHaveLength(4);
    // Written in the same transaction as the change: had there been one, it would be in the outbox now.
    const written = await ctx.store.db.select({ event: outbox.event }).from(outbox);
    const delivered = written.filter(
      (row) =>
        row.event.type === ORDER_EVENT_TYPES.delivered && (row.event.data as { orderId: string }).orderId === order.id,
    );
    expect(delivered).toEqual([]);
    expect(ofType(events, ORDER_EVENT_TYPES.delivered)).toEqual([]);
  });
});
