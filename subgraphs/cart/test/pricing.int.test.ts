import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startProducts } from "../../products/test/helpers.js";
import { startCart } from "./helpers.js";

// A real products subgraph on a seeded database of its own; the cart prices its lines from it.
let products: Awaited<ReturnType<typeof startProducts>>;
let ctx: Awaited<ReturnType<typeof startCart>>;
let down: Awaited<ReturnType<typeof startCart>>;
let manager: Record<string, string>;
beforeAll(async () => {
  products = await startProducts();
  [ctx, down] = await Promise.all([startCart({ productsUrl: `${products.url}/graphql` }), startCart()]);
  manager = await products.as("manager");
});
afterAll(async () => {
  await Promise.all([ctx?.stop(), down?.stop()]);
  await products?.stop();
});

interface CatalogueRow {
  id: string;
  price: number;
  stockOnHand: number;
  availableQuantity: number;
}

/** Active products in stock, as the storefront lists them: `count` of them, each with at least 3 units to sell. */
async function pickProducts(count: number): Promise<CatalogueRow[]> {
  const res = await graphql(
    products.url,
    `
      {
        products(first: 50) {
          edges {
            node {
              id
              price
              stockOnHand
              availableQuantity
            }
          }
        }
      }
    `,
  );
  const rows = res.data!.products.edges.map((e: { node: CatalogueRow }) => e.node) as CatalogueRow[];
  const usable = rows.filter((row) => row.availableQuantity >= 3 && row.stockOnHand === row.availableQuantity);
  expect(usable.length).toBeGreaterThanOrEqual(count);
  return usable.slice(0, count);
}

async function staff(query: string, variables: Record<string, unknown>) {
  const res = await graphql(products.url, query, variables, manager);
  expect(res.errors).toBeUndefined();
  expect(Object.values(res.data!)[0].errors).toEqual([]);
}
const deactivate = (id: string) =>
  staff(`mutation ($id: ID!) { setProductActive(id: $id, active: false) { errors { code } } }`, { id });
const adjustStock = (productId: string, delta: number) =>
  staff(
    `mutation ($productId: ID!, $delta: Int!) {
      adjustStock(productId: $productId, delta: $delta, reason: "recuento de prueba") { errors { code } }
    }`,
    { productId, delta },
  );

async function cartWith(url: string, lines: [string, number][]) {
  const created = await graphql(
    url,
    `
      mutation {
        createCart {
          cart {
            id
          }
        }
      }
    `,
  );
  const id: string = created.data!.createCart.cart.id;
  for (const [productId, quantity] of lines) {
    const res = await graphql(
      url,
      `
        mutation ($c: ID!, $p: ID!, $q: Int!) {
          addToCart(cartId: $c, productId: $p, quantity: $q) {
            errors {
              code
            }
          }
        }
      `,
      { c: id, p: productId, q: quantity },
    );
    expect(res.data!.addToCart.errors).toEqual([]);
  }
  return id;
}

const PRICED = `
  subtotal
  available
  totalQuantity
  lines { product { id } quantity unitPrice lineTotal available unavailableReason availableQuantity }
`;

/** How many CartLineProducts calls the products subgraph has answered (its own metrics). */
async function catalogueCalls() {
  const text = await (await fetch(`${products.url}/metrics`)).text();
  return text
    .split("\n")
    .filter(
      (line) => line.startsWith("graphql_operation_duration_seconds_count{") && line.includes('"CartLineProducts"'),
    )
    .reduce((sum, line) => sum + Number(line.split(" ").pop()), 0);
}

describe("cart lines priced live from the catalogue", () => {
  it("shows prices, availability and reasons, and a subtotal of the available lines only", async () => {
    const [ok, inactive, soldOut, scarce, alsoOk] = await pickProducts(5);
    await deactivate(inactive!.id);
    await adjustStock(soldOut!.id, -soldOut!.stockOnHand);
    await adjustStock(scarce!.id, 2 - scarce!.stockOnHand);
    const unknown = randomUUID();
    const id = await cartWith(ctx.url, [
      [ok!.id, 2],
      [inactive!.id, 1],
      [soldOut!.id, 1],
      [scarce!.id, 5],
      [alsoOk!.id, 1],
      [unknown, 1],
    ]);

    const res = await graphql(ctx.url, `query ($id: ID!) { cart(id: $id) { ${PRICED} } }`, { id });
    expect(res.errors).toBeUndefined();
    const cart = res.data!.cart;
    const line = (productId: string) => cart.lines.find((l: { product: { id: string } }) => l.product.id === productId);
    expect(line(ok!.id)).toEqual({
      product: { id: ok!.id },
      quantity: 2,
      unitPrice: ok!.price,
      lineTotal: ok!.price * 2,
      available: true,
      unavailableReason: null,
      availableQuantity: ok!.availableQuantity,
    });
    expect(line(inactive!.id)).toEqual({
      product: { id: inactive!.id },
      quantity: 1,
      unitPrice: inactive!.price,
      lineTotal: null,
      available: false,
      unavailableReason: "PRODUCT_INACTIVE",
      availableQuantity: 0,
    });
    expect(line(soldOut!.id)).toMatchObject({
      unitPrice: soldOut!.price,
      lineTotal: null,
      available: false,
      unavailableReason: "OUT_OF_STOCK",
      availableQuantity: 0,
    });
    expect(line(scarce!.id)).toMatchObject({
      quantity: 5,
      unitPrice: scarce!.price,
      lineTotal: null,
      available: false,
      unavailableReason: "INSUFFICIENT_STOCK",
      availableQuantity: 2,
    });
    expect(line(unknown)).toEqual({
      product: { id: unknown },
      quantity: 1,
      unitPrice: null,
      lineTotal: null,
      available: false,
      unavailableReason: "PRODUCT_NOT_FOUND",
      availableQuantity: null,
    });
    expect(cart.subtotal).toBe(ok!.price * 2 + alsoOk!.price);
    expect(cart.available).toBe(false);
    expect(cart.totalQuantity).toBe(11);

    // Once the customer takes out what cannot be ordered, the cart is available and the subtotal unchanged.
    for (const productId of [inactive!.id, soldOut!.id, scarce!.id, unknown]) {
      await graphql(
        ctx.url,
        `
          mutation ($c: ID!, $p: ID!) {
            removeFromCart(cartId: $c, productId: $p) {
              errors {
                code
              }
            }
          }
        `,
        { c: id, p: productId },
      );
    }
    const after = (
      await graphql(
        ctx.url,
        `
          query ($id: ID!) {
            cart(id: $id) {
              subtotal
              available
            }
          }
        `,
        { id },
      )
    ).data!.cart;
    expect(after).toEqual({ subtotal: ok!.price * 2 + alsoOk!.price, available: true });
  });

  it("asks the catalogue once per request, for every line of every cart read", async () => {
    const [a, b, c] = await pickProducts(3);
    const first = await cartWith(ctx.url, [
      [a!.id, 1],
      [b!.id, 1],
    ]);
    const second = await cartWith(ctx.url, [
      [b!.id, 2],
      [c!.id, 1],
    ]);
    const before = await catalogueCalls();
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Cart", id: first },
        { __typename: "Cart", id: second },
      ],
      `... on Cart { ${PRICED} }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities.map((cart) => cart?.subtotal)).toEqual([a!.price + b!.price, 2 * b!.price + c!.price]);
    expect((await catalogueCalls()) - before).toBe(1);
  });

  it("prices an empty cart at 0, available, without asking the catalogue", async () => {
    const id = await cartWith(ctx.url, []);
    const before = await catalogueCalls();
    const res = await graphql(
      ctx.url,
      `
        query ($id: ID!) {
          cart(id: $id) {
            subtotal
            available
            lines {
              quantity
            }
          }
        }
      `,
      {
        id,
      },
    );
    expect(res.data!.cart).toEqual({ subtotal: 0, available: true, lines: [] });
    expect(await catalogueCalls()).toBe(before);
  });
});

describe("with the catalogue unreachable", () => {
  it("still shows the lines and quantities; every price and availability field is a SERVICE_UNAVAILABLE error", async () => {
    const id = await cartWith(down.url, [
      ["p-roses", 2],
      ["p-lilies", 1],
    ]);
    const res = await graphql(down.url, `query ($id: ID!) { cart(id: $id) { id ${PRICED} } }`, { id });
    expect(res.data!.cart).toEqual({
      id,
      subtotal: null,
      available: null,
      totalQuantity: 3,
      lines: [
        {
          product: { id: "p-lilies" },
          quantity: 1,
          unitPrice: null,
          lineTotal: null,
          available: null,
          unavailableReason: null,
          availableQuantity: null,
        },
        {
          product: { id: "p-roses" },
          quantity: 2,
          unitPrice: null,
          lineTotal: null,
          available: null,
          unavailableReason: null,
          availableQuantity: null,
        },
      ],
    });
    const errors = res.errors ?? [];
    const fields = ["unitPrice", "lineTotal", "available", "unavailableReason", "availableQuantity"];
    expect(errors.map((e) => e.path!.join(".")).sort()).toEqual(
      [
        "cart.subtotal",
        "cart.available",
        ...[0, 1].flatMap((i) => fields.map((field) => `cart.lines.${i}.${field}`)),
      ].sort(),
    );
    for (const error of errors) {
      expect(error.extensions?.code).toBe("SERVICE_UNAVAILABLE");
      expect(error.message).toMatch(/catalogue cannot be reached/);
    }
  });
});
