import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { startE2eStack, type E2eStack } from "./e2e-stack.js";
import { workingDay } from "../subgraphs/orders/test/dates.js";

/**
 * The purchase journey through the router, as the web app makes it, on the nine services started
 * by the stack script (stores of their own for this run): browse, cart, quote, checkout, pay at the
 * sandbox provider, the shop moves the order along, the customer follows it, reviews what arrived.
 */
const PORT_BASE = 17_000;
const ordersPort = PORT_BASE + 4;
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");
let e2e: E2eStack;
let runId: string;
let router: string;

beforeAll(async () => {
  e2e = await startE2eStack({ name: "buy", portBase: PORT_BASE });
  ({ runId, base: router } = e2e);
});
afterAll(() => e2e?.stop());

/** One operation through the router, optionally signed in; fails the test on a GraphQL error. */
async function gql(query: string, variables: Record<string, unknown> = {}, token?: string) {
  const res = await graphql(router, query, variables, token ? { authorization: `Bearer ${token}` } : {});
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data as any;
}

const PASSWORD = "Claveles-rojos-2026";

async function signUp(name: string) {
  const email = `${name}.${runId}@example.cl`;
  const registered = await gql(
    `mutation($input: RegisterInput!) { register(input: $input) { account { id } errors { code } } }`,
    { input: { email, password: PASSWORD, name, phone: "+56 9 2222 3333" } },
  );
  expect(registered.register.errors).toEqual([]);
  return { id: registered.register.account.id as string, email, token: await signIn(email) };
}

async function signIn(email: string) {
  const data = await gql(`mutation($input: LoginInput!) { login(input: $input) { accessToken errors { code } } }`, {
    input: { email, password: PASSWORD },
  });
  expect(data.login.errors).toEqual([]);
  return data.login.accessToken as string;
}

const roleIn = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).role;

/** A member of staff: registered, promoted with the users CLI, signed in again once auth knows the role. */
async function staff(name: string, role: string) {
  const person = await signUp(name);
  await promisify(execFile)(
    process.execPath,
    [tsxCli, "subgraphs/users/src/promote.ts", "--email", person.email, "--role", role],
    {
      env: {
        ...process.env,
        DATABASE_URL: e2e.databases.get("users")!.url,
        EVENTS_PREFIX: `${runId}:`,
        LOG_LEVEL: "silent",
      },
    },
  );
  let token = person.token;
  await expect
    .poll(async () => roleIn((token = await signIn(person.email))), { timeout: 20_000, interval: 250 })
    .toBe(role);
  return { ...person, token };
}

const CHECKOUT = `
  mutation($input: CheckoutInput!) {
    checkout(input: $input) {
      order {
        id number status subtotal discount deliveryFee total
        lines { product { id name } quantity unitPrice lineTotal }
        payment { status redirectUrl }
      }
      errors { field code message }
    }
  }
`;
const CART = `
  query($id: ID!) {
    cart(id: $id) { id subtotal available lines { product { id name } quantity unitPrice lineTotal available } }
  }
`;

/** The buyer's browser on the sandbox provider's page, choosing the outcome. */
const pay = async (redirectUrl: string, outcome: "approve" | "decline") => {
  const url = redirectUrl.replace(/^http:\/\/localhost:\d+/, `http://127.0.0.1:${ordersPort}`);
  const res = await fetch(url, { method: "POST", body: new URLSearchParams({ outcome }) });
  expect(res.status).toBe(200);
  return res.json();
};

const delivery = { method: "STANDARD", date: workingDay(3), slot: "AFTERNOON" };
const address = { street: "Av. Independencia 500", commune: "Independencia" };

async function browse(count: number) {
  const data = await gql(
    `query { products(first: 20, filter: { inStock: true }, sort: PRICE_ASC) { edges { node { id name price availableQuantity } } } }`,
  );
  return data.products.edges
    .map((e: { node: unknown }) => e.node)
    .filter((p: any) => p.availableQuantity >= 5)
    .slice(0, count);
}

describe("the purchase journey through the router", () => {
  it("a guest: cart, quote, checkout, pay; the cart empties and the confirmation arrives", async () => {
    const [first, second] = await browse(2);
    const cartId = (await gql(`mutation { createCart { cart { id } } }`)).createCart.cart.id;
    await gql(`mutation($c: ID!, $p: ID!) { addToCart(cartId: $c, productId: $p, quantity: 2) { errors { code } } }`, {
      c: cartId,
      p: first.id,
    });
    await gql(`mutation($c: ID!, $p: ID!) { addToCart(cartId: $c, productId: $p, quantity: 1) { errors { code } } }`, {
      c: cartId,
      p: second.id,
    });
    const cart = (await gql(CART, { id: cartId })).cart;
    const subtotal = first.price * 2 + second.price;
    expect(cart).toMatchObject({ subtotal, available: true });

    const quote = await gql(
      `query($input: DeliveryQuoteInput!) { deliveryQuote(input: $input) { quote { subtotal fee amountToFreeDelivery freeDelivery } errors { code } } }`,
      {
        input: {
          ...delivery,
          commune: "independencia",
          lines: cart.lines.map((l: any) => ({ productId: l.product.id, quantity: l.quantity })),
        },
      },
    );
    expect(quote.deliveryQuote.errors).toEqual([]);
    expect(quote.deliveryQuote.quote.subtotal).toBe(subtotal);

    const email = `invitado.${runId}@example.cl`;
    const placed = await gql(CHECKOUT, {
      input: {
        idempotencyKey: randomUUID(),
        cartId,
        buyer: { name: "Invitada Pérez", email, phone: "+56 9 5555 6666" },
        recipient: { name: "Abuela Rosa", phone: "+56 9 7777 8888" },
        address,
        delivery,
        paymentMethod: "WEBPAY",
      },
    });
    expect(placed.checkout.errors).toEqual([]);
    const order = placed.checkout.order;
    expect(order).toMatchObject({
      status: "PENDING_PAYMENT",
      subtotal,
      deliveryFee: quote.deliveryQuote.quote.fee,
      total: subtotal + quote.deliveryQuote.quote.fee,
    });
    expect(await pay(order.payment.redirectUrl, "approve")).toEqual({ result: "APPLIED" });

    // order_placed took the ordered units out of the cart; the confirmation email reached the buyer.
    await expect
      .poll(async () => (await gql(CART, { id: cartId })).cart?.lines.length ?? 0, { timeout: 20_000, interval: 250 })
      .toBe(0);
    await expect.poll(() => e2e.mailsTo(email).length, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(1);
    expect(e2e.mailsTo(email).join("\n")).toContain(order.number);
  });

  it("a customer: checkout from their cart, the shop prepares and delivers, the customer follows and reviews", async () => {
    const customer = await signUp("camila");
    const [florist, support, driver] = [
      await staff("fabiola", "florist"),
      await staff("sofia", "support"),
      await staff("diego", "delivery"),
    ];
    const [product] = await browse(1);
    const cartId = (await gql(`mutation { createCart { cart { id } } }`, {}, customer.token)).createCart.cart.id;
    await gql(
      `mutation($c: ID!, $p: ID!) { addToCart(cartId: $c, productId: $p, quantity: 1) { errors { code } } }`,
      { c: cartId, p: product.id },
      customer.token,
    );
    const placed = await gql(
      CHECKOUT,
      {
        input: {
          idempotencyKey: randomUUID(),
          cartId,
          buyer: { name: "Camila", email: customer.email, phone: "+56 9 2222 3333" },
          address,
          delivery,
          paymentMethod: "MERCADOPAGO",
        },
      },
      customer.token,
    );
    expect(placed.checkout.errors).toEqual([]);
    const order = placed.checkout.order;
    await pay(order.payment.redirectUrl, "approve");

    const CHANGE = `mutation($id: ID!, $to: OrderStatus!, $note: String) { changeOrderStatus(id: $id, to: $to, note: $note) { order { status } errors { code message } } }`;
    expect(
      (await gql(CHANGE, { id: order.id, to: "PREPARING", note: "rosas listas" }, florist.token)).changeOrderStatus,
    ).toEqual({
      order: { status: "PREPARING" },
      errors: [],
    });
    // The driver sees nothing until the order is theirs.
    expect((await gql(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id }, driver.token)).order).toBeNull();
    const assigned = await gql(
      `mutation($o: ID!, $d: ID!) { assignDriver(orderId: $o, driverId: $d) { order { driverId } errors { code } } }`,
      { o: order.id, d: driver.id },
      support.token,
    );
    expect(assigned.assignDriver).toEqual({ order: { driverId: driver.id }, errors: [] });
    const mine = await gql(`query { orders(first: 10) { edges { node { id number } } } }`, {}, driver.token);
    expect(mine.orders.edges.map((e: any) => e.node.id)).toEqual([order.id]);
    for (const to of ["OUT_FOR_DELIVERY", "DELIVERED"])
      expect((await gql(CHANGE, { id: order.id, to }, driver.token)).changeOrderStatus.errors).toEqual([]);

    // The customer follows it in their account: the users subgraph's User, with orders contributed by orders.
    const account = await gql(
      `query { me { id orders(first: 5) { totalCount edges { node { number status total statusHistory { to changedBy } } } } } }`,
      {},
      customer.token,
    );
    expect(account.me.orders.totalCount).toBe(1);
    expect(account.me.orders.edges[0].node).toMatchObject({
      number: order.number,
      status: "DELIVERED",
      total: order.total,
      statusHistory: [
        { to: "PENDING_PAYMENT", changedBy: customer.id },
        { to: "PAID", changedBy: "payment:sandbox" },
        { to: "PREPARING", changedBy: florist.id },
        { to: "OUT_FOR_DELIVERY", changedBy: driver.id },
        { to: "DELIVERED", changedBy: driver.id },
      ],
    });

    // What arrived can be reviewed as a verified purchase (reviews learns it from order_delivered), and the
    // product's rating takes the review in at once.
    const RATING = `query($id: ID!) { product(id: $id) { rating { count average } } }`;
    const before = (await gql(RATING, { id: product.id })).product.rating;
    const reviewed = await gql(
      `mutation($input: CreateReviewInput!) { createReview(input: $input) { review { id verifiedPurchase } errors { code } } }`,
      { input: { productId: product.id, authorName: "Camila", rating: 5, title: "Preciosas" } },
      customer.token,
    );
    expect(reviewed.createReview.errors).toEqual([]);
    expect((await gql(RATING, { id: product.id })).product.rating).toEqual({
      count: before.count + 1,
      average: (before.average ?? 0) * (before.count / (before.count + 1)) + 5 / (before.count + 1),
    });
    await expect
      .poll(
        async () =>
          (await gql(`query { me { reviews(first: 5) { edges { node { verifiedPurchase } } } } }`, {}, customer.token))
            .me.reviews.edges[0]?.node.verifiedPurchase,
        { timeout: 20_000, interval: 250 },
      )
      .toBe(true);
  });
});
