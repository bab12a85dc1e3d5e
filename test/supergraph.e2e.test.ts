import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { graphql, testStores } from "@fv/platform/testing";
import type { Stack } from "../scripts/stack.js";
import { startE2eStack, type E2eStack } from "./e2e-stack.js";
import { workingDay } from "../subgraphs/orders/test/dates.js";

/**
 * The nine services as `pnpm start` starts them (same entry points, same stack script), each on
 * stores of its own for this run, talked to over HTTP through the router.
 */
const PORT_BASE = 14_000;
let e2e: E2eStack;
let runId: string;
let lines: E2eStack["lines"];
let stack: Stack;
let endpoint: string;

beforeAll(async () => {
  // Info logs: a test follows one request id through every service's log lines.
  e2e = await startE2eStack({ name: "e2e", portBase: PORT_BASE, logLevel: "info" });
  ({ runId, lines, stack, endpoint } = e2e);
});
afterAll(() => e2e?.stop());

const routerBase = () => endpoint.replace(/\/graphql$/, "");

/** One operation through the router, as a client sends it, optionally signed in. */
async function gql(query: string, variables?: Record<string, unknown>, token?: string) {
  const res = await graphql(routerBase(), query, variables, token ? { authorization: `Bearer ${token}` } : {});
  return res as { status: number; data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

const PASSWORD = "Ramo-de-rosas-2026";

async function register(email: string, name: string) {
  const res = await gql(
    `mutation($input: RegisterInput!) { register(input: $input) { account { id email } errors { field code message } } }`,
    { input: { email, password: PASSWORD, name, phone: "+56 9 1234 5678" } },
  );
  expect(res.data?.register.errors).toEqual([]);
  return res.data!.register.account.id as string;
}

async function login(email: string, password = PASSWORD) {
  const res = await gql(
    `mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken errors { code message } } }`,
    { input: { email, password } },
  );
  return res.data!.login as { accessToken: string | null; refreshToken: string | null; errors: { code: string }[] };
}

/** The newest event of `type` about `email` that auth published (the mail sender's input). */
async function authEvent(type: string, email: string): Promise<{ token: string }> {
  const redis = new Redis(testStores.redisUrl);
  try {
    let found: { token: string } | undefined;
    await expect
      .poll(
        async () => {
          const entries = await redis.xrange(`${runId}:events:auth`, "-", "+");
          const events = entries.map(([, fields]) => JSON.parse(fields[fields.indexOf("event") + 1]!));
          found = events.reverse().find((e) => e.type === type && e.data.email === email)?.data;
          return Boolean(found);
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    return found!;
  } finally {
    await redis.quit();
  }
}

describe("the supergraph", () => {
  it("has every service ready, each listening on all interfaces (HOST unset)", async () => {
    for (const service of stack.services) {
      expect((await fetch(`${service.baseUrl}/health/ready`)).status, service.name).toBe(200);
      // 127.0.0.2 is loopback too, but a server bound to 127.0.0.1 alone refuses it.
      const other = await fetch(`http://127.0.0.2:${service.port}/health/live`);
      expect(other.status, service.name).toBe(200);
    }
  });

  it("answers one operation with data from the cart, products and reviews subgraphs", async () => {
    const catalogue = await graphql(
      routerBase(),
      `
        query {
          products(first: 2) {
            edges {
              node {
                id
                name
                price
              }
            }
          }
        }
      `,
    );
    expect(catalogue.errors).toBeUndefined();
    const [first, second] = catalogue.data!.products.edges.map(
      (e: { node: { id: string; name: string; price: number } }) => e.node,
    );

    for (const [rating, author] of [
      [5, "ana"],
      [4, "benjamin"],
    ] as const) {
      const email = `${author}.${runId}@example.cl`;
      await register(email, author);
      const { accessToken } = await login(email);
      const review = await gql(
        `mutation ($input: CreateReviewInput!) { createReview(input: $input) { review { id } errors { code } } }`,
        {
          input: {
            productId: first.id,
            authorName: author,
            rating,
            title: "Hermoso",
            comment: "Llegó a tiempo y muy fresco.",
          },
        },
        accessToken!,
      );
      expect(review.data?.createReview.errors).toEqual([]);
    }

    const created = await graphql(
      routerBase(),
      `
        mutation {
          createCart {
            cart {
              id
            }
            errors {
              code
            }
          }
        }
      `,
    );
    const cartId = created.data!.createCart.cart.id;
    for (const [product, quantity] of [
      [first, 2],
      [second, 1],
    ] as const) {
      const added = await graphql(
        routerBase(),
        `
          mutation ($cartId: ID!, $productId: ID!, $quantity: Int!) {
            addToCart(cartId: $cartId, productId: $productId, quantity: $quantity) {
              errors {
                code
                message
              }
            }
          }
        `,
        { cartId, productId: product.id, quantity },
      );
      expect(added.data?.addToCart.errors).toEqual([]);
    }

    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        query: `query CartWithRatings($id: ID!) {
          cart(id: $id) { id totalQuantity lines { quantity product { id name price rating { average count } } } }
        }`,
        variables: { id: cartId },
      }),
    });
    const body = (await res.json()) as any;
    expect(body.errors).toBeUndefined();
    const cart = body.data.cart;
    expect(cart.totalQuantity).toBe(3);
    const byId = new Map(cart.lines.map((l: { product: { id: string } }) => [l.product.id, l]));
    expect(byId.get(first.id)).toEqual({
      quantity: 2,
      product: { id: first.id, name: first.name, price: first.price, rating: { average: 4.5, count: 2 } },
    });
    expect(byId.get(second.id)).toEqual({
      quantity: 1,
      product: { id: second.id, name: second.name, price: second.price, rating: { average: null, count: 0 } },
    });

    // The router created a request id; each subgraph it called logged the same one.
    const requestId = res.headers.get("x-request-id");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    const loggedBy = () => new Set(lines.filter((l) => l.line.includes(requestId!)).map((l) => l.service));
    // A log line may reach the pipe just after the response does.
    await expect
      .poll(() => [...loggedBy()].sort(), { timeout: 5_000 })
      .toEqual(expect.arrayContaining(["cart", "products", "reviews", "router"]));
  });

  it("keeps automatic persisted queries in Redis", async () => {
    const query = "query PersistedCategories { categories { slug } }";
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const send = (body: object) =>
      fetch(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      }).then((r) => r.json() as Promise<any>);

    expect((await send({ extensions })).errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await send({ query, extensions })).data.categories.length).toBeGreaterThan(0);
    const redis = new Redis(testStores.redisUrl);
    try {
      expect(await redis.keys(`${runId}:router:*${sha256Hash}*`)).toHaveLength(1);
    } finally {
      await redis.quit();
    }
    expect((await send({ extensions })).data.categories.length).toBeGreaterThan(0);
  });

  it("answers a malformed body with 400 and a clear message", async () => {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"query": "{ products',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.errors[0].message).toMatch(/^Malformed JSON in request body/);
    expect((await fetch(`${routerBase()}/health/live`)).status).toBe(200);
  });

  it("refuses a cross-site simple request (CSRF prevention)", async () => {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/i);
  });

  it("allows CORS only for the configured origins", async () => {
    const preflight = (origin: string) =>
      fetch(endpoint, {
        method: "OPTIONS",
        headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });
    expect((await preflight("http://localhost:3000")).headers.get("access-control-allow-origin")).toBe(
      "http://localhost:3000",
    );
    expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("serves the GraphiQL IDE from its own dependencies in development", async () => {
    const page = await fetch(`${routerBase()}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("/ide/graphiql.js");
    expect(html).not.toMatch(/https?:\/\//);
    for (const asset of ["graphiql.js", "graphiql.css", "react.js", "react-dom.js", "start.js"]) {
      const res = await fetch(`${routerBase()}/ide/${asset}`);
      expect(res.status, asset).toBe(200);
      expect((await res.text()).length, asset).toBeGreaterThan(10);
    }
  });

  it("lets a customer register, verify, sign in, refresh, edit their profile, reset a password and sign out everywhere", async () => {
    const email = `cliente.${runId}@example.cl`;
    const id = await register(email, "Ana Pérez");
    let session = await login(email);
    expect(session.errors).toEqual([]);

    // The profile reaches users by event: a moment after register, `me` appears.
    const ME = `query { me { id name email emailVerified phone addresses { street commune isDefault } } }`;
    await expect.poll(async () => (await gql(ME, {}, session.accessToken!)).data?.me?.id, { timeout: 15_000 }).toBe(id);

    const { token: verifyToken } = await authEvent("auth.email_verification_requested", email);
    const verified = await gql(
      `mutation($t: String!) { verifyEmail(token: $t) { account { emailVerified } errors { code } } }`,
      { t: verifyToken },
    );
    expect(verified.data?.verifyEmail).toEqual({ account: { emailVerified: true }, errors: [] });
    const replayed = await gql(`mutation($t: String!) { verifyEmail(token: $t) { account { id } errors { code } } }`, {
      t: verifyToken,
    });
    expect(replayed.data?.verifyEmail.account).toBeNull();
    await expect
      .poll(async () => (await gql(ME, {}, session.accessToken!)).data?.me?.emailVerified, { timeout: 15_000 })
      .toBe(true);

    const updated = await gql(
      `mutation { updateProfile(input: { name: "Ana María Pérez" }) { errors { code } } }`,
      {},
      session.accessToken!,
    );
    expect(updated.data?.updateProfile.errors).toEqual([]);
    const added = await gql(
      `mutation { addAddress(input: { street: "Av. Irarrázaval 1234", commune: "nunoa" }) { errors { code } } }`,
      {},
      session.accessToken!,
    );
    expect(added.data?.addAddress.errors).toEqual([]);
    const me = (await gql(ME, {}, session.accessToken!)).data!.me;
    expect(me).toMatchObject({ name: "Ana María Pérez", email, phone: "+56912345678" });
    expect(me.addresses).toEqual([{ street: "Av. Irarrázaval 1234", commune: "Ñuñoa", isDefault: true }]);

    // Another customer sees nothing of hers.
    const otherEmail = `otro.${runId}@example.cl`;
    await register(otherEmail, "Otro Cliente");
    const other = await login(otherEmail);
    expect(
      (await gql(`query($id: ID!) { user(id: $id) { id name } }`, { id }, other.accessToken!)).data?.user,
    ).toBeNull();
    const staffOnly = await gql(`query { users(first: 5) { totalCount } }`, {}, other.accessToken!);
    expect(staffOnly.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    // …nor her cart, nor her order, through the router.
    const herCart = await gql(`mutation { createCart { cart { id } errors { code } } }`, {}, session.accessToken!);
    const cartId = herCart.data!.createCart.cart.id;
    expect(
      (await gql(`query($id: ID!) { cart(id: $id) { id } }`, { id: cartId }, session.accessToken!)).data?.cart,
    ).toEqual({ id: cartId });
    expect(
      (await gql(`query($id: ID!) { cart(id: $id) { id } }`, { id: cartId }, other.accessToken!)).data?.cart,
    ).toBeNull();
    expect((await gql(`query($id: ID!) { cart(id: $id) { id } }`, { id: cartId })).data?.cart).toBeNull();
    const product = (await gql(`query { products(first: 1, filter: { inStock: true }) { edges { node { id } } } }`))
      .data!.products.edges[0].node;
    const herOrder = await gql(
      `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id customer { id } } errors { code } } }`,
      {
        input: {
          idempotencyKey: randomUUID(),
          lines: [{ productId: product.id, quantity: 1 }],
          buyer: { name: "Ana María Pérez", email, phone: "+56912345678" },
          delivery: { method: "PICKUP", date: workingDay(2), slot: "MORNING" },
          paymentMethod: "WEBPAY",
        },
      },
      session.accessToken!,
    );
    expect(herOrder.data!.checkout.errors).toEqual([]);
    const order = herOrder.data!.checkout.order;
    expect(order.customer).toEqual({ id });
    expect(
      (await gql(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id }, other.accessToken!)).data?.order,
    ).toBeNull();
    const cancelByOther = await gql(
      `mutation($id: ID!) { changeOrderStatus(id: $id, to: CANCELLED) { order { status } errors { code } } }`,
      { id: order.id },
      other.accessToken!,
    );
    expect(cancelByOther.data?.changeOrderStatus.errors[0]?.code).toBe("ORDER_NOT_FOUND");
    const mine = await gql(
      `query { me { orders(first: 5) { totalCount edges { node { id status } } } } }`,
      {},
      session.accessToken!,
    );
    expect(mine.data?.me.orders).toEqual({
      totalCount: 1,
      edges: [{ node: { id: order.id, status: "PENDING_PAYMENT" } }],
    });

    // Refresh rotates; presenting the used token again revokes the whole session.
    const REFRESH = `mutation($r: String!) { refreshSession(refreshToken: $r) { accessToken refreshToken errors { code } } }`;
    const rotated = (await gql(REFRESH, { r: session.refreshToken })).data?.refreshSession;
    expect(rotated?.accessToken).toBeTruthy();
    expect(rotated?.refreshToken).not.toBe(session.refreshToken);
    const reuse = await gql(REFRESH, { r: session.refreshToken });
    expect(reuse.data?.refreshSession?.accessToken ?? null).toBeNull();
    const afterTheft = await gql(REFRESH, { r: rotated.refreshToken });
    expect(afterTheft.data?.refreshSession?.accessToken ?? null).toBeNull();

    // A forgotten password: the reset link arrives by event, works once, and the new password signs in.
    const requested = await gql(`mutation($e: String!) { requestPasswordReset(email: $e) { success } }`, { e: email });
    expect(requested.data?.requestPasswordReset.success).toBe(true);
    const { token: resetToken } = await authEvent("auth.password_reset_requested", email);
    // contact mails both links (verification, then reset) to her through the SMTP server.
    await expect.poll(() => e2e.mailsTo(email).length, { timeout: 30_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    const newPassword = "Girasoles-al-sol-2027";
    const RESET = `mutation($t: String!, $p: String!) { resetPassword(token: $t, newPassword: $p) { account { id } errors { code } } }`;
    expect((await gql(RESET, { t: resetToken, p: newPassword })).data?.resetPassword).toEqual({
      account: { id },
      errors: [],
    });
    expect((await gql(RESET, { t: resetToken, p: "Otra-clave-segura-99" })).data?.resetPassword.account).toBeNull();
    expect((await login(email)).errors[0]?.code).toBe("INVALID_CREDENTIALS");
    session = await login(email, newPassword);
    expect(session.errors).toEqual([]);
    const second = await login(email, newPassword);

    const everywhere = await gql(
      `mutation { logoutEverywhere { revokedSessionCount errors { code } } }`,
      {},
      session.accessToken!,
    );
    expect(everywhere.data?.logoutEverywhere.revokedSessionCount).toBeGreaterThanOrEqual(2);
    for (const refreshToken of [session.refreshToken, second.refreshToken]) {
      expect((await gql(REFRESH, { r: refreshToken })).data?.refreshSession?.accessToken ?? null).toBeNull();
    }
    // Their access tokens end with them at the router, not 15 minutes later: even for another subgraph's data.
    for (const accessToken of [session.accessToken, second.accessToken]) {
      const after = await gql(`query { myCart { id } }`, {}, accessToken!);
      expect(after.status).toBe(401);
      expect(after.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    }
  });

  it("stops every service gracefully on SIGTERM (exit code 0)", async () => {
    await stack.stop();
    for (const service of stack.services) expect(service.child.exitCode, service.name).toBe(0);
  });
});
