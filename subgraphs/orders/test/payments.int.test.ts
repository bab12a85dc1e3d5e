import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { orders, promotions, reservationTasks } from "../src/db/schema.js";
import { SIGNATURE_HEADER, signWebhook } from "../src/payments/signature.js";
import { WEBHOOK_PATH } from "../src/payments/routes.js";
import { TEST_WEBHOOK_SECRET } from "./helpers.js";
import { eventually, startWorld, workingDay } from "./world.js";

let world: Awaited<ReturnType<typeof startWorld>>;
beforeAll(async () => {
  // A short payment window, so that a payment left to time out runs out within the test.
  world = await startWorld({ orders: { env: { PAYMENT_WINDOW_SECONDS: "2" } } });
}, 120_000);
afterAll(() => world?.stop());

const CHECKOUT = /* GraphQL */ `
  mutation Checkout($input: CheckoutInput!) {
    checkout(input: $input) {
      order {
        id
        number
        status
        total
        refundDue
        payment {
          status
          redirectUrl
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
const ORDER = /* GraphQL */ `
  query ($id: ID!) {
    order(id: $id) {
      id
      status
      refundDue
      payment {
        status
        redirectUrl
      }
      statusHistory {
        from
        to
        changedBy
        note
      }
    }
  }
`;
const CHANGE = /* GraphQL */ `
  mutation ($id: ID!, $to: OrderStatus!) {
    changeOrderStatus(id: $id, to: $to) {
      order {
        status
        refundDue
      }
      errors {
        code
      }
    }
  }
`;

async function placeOrder(slug: string, quantity = 1) {
  const product = await world.product(slug);
  const res = await graphql(world.orders.url, CHECKOUT, {
    input: {
      idempotencyKey: randomUUID(),
      lines: [{ productId: product.id, quantity }],
      buyer: { name: "Bruno Soto", email: "bruno@example.cl", phone: "+56911112222" },
      delivery: { method: "PICKUP", date: workingDay(2), slot: "MORNING" },
      paymentMethod: "MERCADOPAGO",
    },
  });
  expect(res.data!.checkout.errors).toEqual([]);
  return { order: res.data!.checkout.order, product };
}

/** What the buyer does on the sandbox's payment page. */
const pay = (redirectUrl: string, outcome: "approve" | "decline" | "timeout") =>
  fetch(redirectUrl.replace("http://localhost:4004", world.orders.url), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ outcome }),
  });

const staff = () => world.orders.signIn(undefined, "support");
const read = async (id: string) => (await graphql(world.orders.url, ORDER, { id }, await staff())).data!.order;

describe("payments", () => {
  it("approved: the order is PAID and its reserved stock leaves the shelf", async () => {
    const { order, product } = await placeOrder("ramo-mixto-campestre", 2);
    expect(order.payment.status).toBe("PENDING");
    const page = await fetch(order.payment.redirectUrl.replace("http://localhost:4004", world.orders.url));
    expect(await page.text()).toContain(order.number);

    const answer = await pay(order.payment.redirectUrl, "approve");
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ result: "APPLIED" });
    expect(await read(order.id)).toMatchObject({
      status: "PAID",
      payment: { status: "APPROVED", redirectUrl: null },
      statusHistory: [{ to: "PENDING_PAYMENT" }, { from: "PENDING_PAYMENT", to: "PAID", changedBy: "payment:sandbox" }],
    });
    await eventually(
      async () => ((await world.product(product.slug)).stockOnHand === product.stockOnHand - 2 ? true : undefined),
      "the reservation to be confirmed",
    );
    expect((await world.product(product.slug)).reserved).toBe(product.reserved);

    // The provider repeats its report: nothing changes twice.
    const again = await pay(order.payment.redirectUrl, "approve");
    expect(await again.json()).toEqual({ result: "ALREADY_SETTLED" });
    expect((await read(order.id)).statusHistory).toHaveLength(2);
    const events = await eventually(async () => {
      const all = (await world.orders.events()).filter((e) => (e.data as { orderId?: string }).orderId === order.id);
      return all.some((e) => e.type === "orders.order_paid") ? all : undefined;
    }, "the order_paid event");
    expect(events.map((e) => e.type)).toEqual(["orders.order_placed", "orders.status_changed", "orders.order_paid"]);
  });

  it("declined: the order is cancelled and the stock is back", async () => {
    const { order, product } = await placeOrder("ramo-gerberas-colores", 3);
    expect((await world.product(product.slug)).reserved).toBe(product.reserved + 3);
    const answer = await pay(order.payment.redirectUrl, "decline");
    expect(await answer.json()).toEqual({ result: "APPLIED" });
    expect(await read(order.id)).toMatchObject({
      status: "CANCELLED",
      refundDue: false,
      payment: { status: "DECLINED" },
      statusHistory: [{}, { to: "CANCELLED", note: "payment declined" }],
    });
    await eventually(
      async () => ((await world.product(product.slug)).reserved === product.reserved ? true : undefined),
      "the stock to come back",
    );
    expect((await world.product(product.slug)).stockOnHand).toBe(product.stockOnHand);
  });

  it("timed out: when the window runs out the order is cancelled and the stock is back; a late approval is marked for refund", async () => {
    const { order, product } = await placeOrder("arreglo-lirios-blancos");
    expect((await pay(order.payment.redirectUrl, "timeout")).status).toBe(202);
    const cancelled = await eventually(async () => {
      const now = await read(order.id);
      return now.status === "CANCELLED" ? now : undefined;
    }, "the unpaid order to expire");
    expect(cancelled).toMatchObject({
      payment: { status: "EXPIRED" },
      statusHistory: [{}, { note: "payment window expired" }],
    });
    await eventually(
      async () => ((await world.product(product.slug)).reserved === product.reserved ? true : undefined),
      "the stock to come back",
    );
    const [row] = await world.orders.store.db.select().from(orders).where(eq(orders.id, order.id));
    const body = JSON.stringify({ paymentId: row!.paymentId, outcome: "approved", amount: row!.total });
    const late = await fetch(`${world.orders.url}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signWebhook(TEST_WEBHOOK_SECRET, body) },
      body,
    });
    expect(await late.json()).toEqual({ result: "LATE_PAYMENT_REFUND_DUE" });
    expect(await read(order.id)).toMatchObject({
      status: "CANCELLED",
      refundDue: true,
      payment: { status: "APPROVED" },
    });
  });

  it("refuses an unsigned, forged, stale or mismatched report, changing nothing", async () => {
    const { order } = await placeOrder("suculentas-trio");
    const [row] = await world.orders.store.db.select().from(orders).where(eq(orders.id, order.id));
    const body = JSON.stringify({ paymentId: row!.paymentId, outcome: "approved", amount: row!.total });
    const post = (headers: Record<string, string>, payload = body) =>
      fetch(`${world.orders.url}${WEBHOOK_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: payload,
      });
    expect((await post({})).status).toBe(401);
    expect(
      (await post({ [SIGNATURE_HEADER]: signWebhook("another-secret-of-at-least-32-chars!!", body) })).status,
    ).toBe(401);
    const stale = signWebhook(TEST_WEBHOOK_SECRET, body, new Date(Date.now() - 10 * 60_000));
    expect((await post({ [SIGNATURE_HEADER]: stale })).status).toBe(401);
    // Signed for one body, sent with another.
    const tampered = body.replace(`"amount":${row!.total}`, '"amount":1');
    expect((await post({ [SIGNATURE_HEADER]: signWebhook(TEST_WEBHOOK_SECRET, body) }, tampered)).status).toBe(401);
    // Correctly signed, but not what the order costs.
    const underpaid = JSON.stringify({ paymentId: row!.paymentId, outcome: "approved", amount: row!.total - 1 });
    const mismatch = await post({ [SIGNATURE_HEADER]: signWebhook(TEST_WEBHOOK_SECRET, underpaid) }, underpaid);
    expect(mismatch.status).toBe(422);
    const unknown = JSON.stringify({ paymentId: "sbx_nope", outcome: "approved", amount: 1 });
    expect((await post({ [SIGNATURE_HEADER]: signWebhook(TEST_WEBHOOK_SECRET, unknown) }, unknown)).status).toBe(404);
    expect(await read(order.id)).toMatchObject({ status: "PENDING_PAYMENT", payment: { status: "PENDING" } });
  });

  it("a paid order cancelled by staff returns its units to the shelf and is marked for refund", async () => {
    const { order, product } = await placeOrder("anturio-rojo", 2);
    await pay(order.payment.redirectUrl, "approve");
    await eventually(
      async () => ((await world.product(product.slug)).stockOnHand === product.stockOnHand - 2 ? true : undefined),
      "the reservation to be confirmed",
    );
    const res = await graphql(world.orders.url, CHANGE, { id: order.id, to: "CANCELLED" }, await staff());
    expect(res.data!.changeOrderStatus).toEqual({ order: { status: "CANCELLED", refundDue: true }, errors: [] });
    await eventually(
      async () => ((await world.product(product.slug)).stockOnHand === product.stockOnHand ? true : undefined),
      "the units to come back",
    );
  });
  it("a declined order gives its promotion use back; a paid one keeps it", async () => {
    const manager = await world.orders.signIn(undefined, "manager");
    const created = await graphql(
      world.orders.url,
      `
        mutation {
          createPromotion(input: { code: "UNAVEZ", kind: FIXED, value: 1000, usageLimit: 1 }) {
            errors {
              code
            }
          }
        }
      `,
      {},
      manager,
    );
    expect(created.data!.createPromotion.errors).toEqual([]);
    const timesUsed = async () =>
      (await world.orders.store.db.select().from(promotions).where(eq(promotions.code, "UNAVEZ")))[0]!.timesUsed;
    const withCode = async () => {
      const product = await world.product("ramo-rosas-rosadas");
      const res = await graphql(world.orders.url, CHECKOUT, {
        input: {
          idempotencyKey: randomUUID(),
          lines: [{ productId: product.id, quantity: 1 }],
          buyer: { name: "Bruno Soto", email: "bruno@example.cl", phone: "+56911112222" },
          delivery: { method: "PICKUP", date: workingDay(2), slot: "MORNING" },
          paymentMethod: "WEBPAY",
          promotionCode: "unavez",
        },
      });
      return res.data!.checkout;
    };

    const declined = await withCode();
    expect(declined.errors).toEqual([]);
    expect(await timesUsed()).toBe(1);
    expect((await withCode()).errors).toMatchObject([{ code: "PROMOTION_USAGE_LIMIT_REACHED" }]);
    await pay(declined.order.payment.redirectUrl, "decline");
    expect(await timesUsed()).toBe(0);

    const paid = await withCode();
    expect(paid.errors).toEqual([]);
    await pay(paid.order.payment.redirectUrl, "approve");
    const cancelled = await graphql(world.orders.url, CHANGE, { id: paid.order.id, to: "CANCELLED" }, await staff());
    expect(cancelled.data!.changeOrderStatus.order).toEqual({ status: "CANCELLED", refundDue: true });
    expect(await timesUsed()).toBe(1);
  });
});

describe("payments while products is down", () => {
  let world2: Awaited<ReturnType<typeof startWorld>>;
  beforeAll(async () => {
    world2 = await startWorld({ proxyProducts: true });
  }, 120_000);
  afterAll(() => world2?.stop());

  it("an approval is applied at once, and the stock is confirmed when products is back", async () => {
    const product = await world2.product("orquidea-doble-blanca");
    const placed = await graphql(world2.orders.url, CHECKOUT, {
      input: {
        idempotencyKey: randomUUID(),
        lines: [{ productId: product.id, quantity: 1 }],
        buyer: { name: "Bruno Soto", email: "bruno@example.cl", phone: "+56911112222" },
        delivery: { method: "PICKUP", date: workingDay(2), slot: "MORNING" },
        paymentMethod: "WEBPAY",
      },
    });
    const order = placed.data!.checkout.order;
    world2.productsProxy!.setDown(true);
    const paid = await fetch(order.payment.redirectUrl.replace("http://localhost:4004", world2.orders.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ outcome: "approve" }),
    });
    expect(await paid.json()).toEqual({ result: "APPLIED" });
    const [row] = await world2.orders.store.db.select().from(orders).where(eq(orders.id, order.id));
    expect(row).toMatchObject({ status: "PAID", paymentStatus: "APPROVED" });
    const waiting = await eventually(async () => {
      const [task] = await world2.orders.store.db
        .select()
        .from(reservationTasks)
        .where(eq(reservationTasks.orderRef, row!.reservationRef!));
      return task?.lastError ? task : undefined;
    }, "a failed attempt to confirm");
    expect(waiting).toMatchObject({ action: "CONFIRM", doneAt: null });
    expect(await world2.product(product.slug)).toMatchObject({
      stockOnHand: product.stockOnHand,
      reserved: product.reserved + 1,
    });

    world2.productsProxy!.setDown(false);
    await eventually(
      async () => ((await world2.product(product.slug)).stockOnHand === product.stockOnHand - 1 ? true : undefined),
      "the confirmation to reach products",
      30_000,
    );
    expect((await world2.product(product.slug)).reserved).toBe(product.reserved);
    // products applied the confirmation before answering; the task is marked done once the answer is back.
    const done = await eventually(async () => {
      const [task] = await world2.orders.store.db
        .select()
        .from(reservationTasks)
        .where(eq(reservationTasks.orderRef, row!.reservationRef!));
      return task?.doneAt ? task : undefined;
    }, "the confirmation task to be marked done");
    expect(done.doneAt).not.toBeNull();
  }, 60_000);
});
