import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startCart } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startCart>>;
beforeAll(async () => {
  ctx = await startCart();
});
afterAll(() => ctx?.stop());

async function cartWith(lines: [string, number][]): Promise<string> {
  const created = await graphql(
    ctx.url,
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
      ctx.url,
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

describe("_entities contract", () => {
  it("resolves Cart references in order, null for unknown or malformed ids", async () => {
    const first = await cartWith([["p-1", 2]]);
    const second = await cartWith([
      ["p-2", 1],
      ["p-3", 4],
    ]);
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Cart", id: second },
        { __typename: "Cart", id: "AAAAAAAAAAAAAAAAAAAAAA" },
        { __typename: "Cart", id: first },
        { __typename: "Cart", id: "not a cart" },
      ],
      `... on Cart { id totalQuantity lines { quantity product { id } } }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      {
        id: second,
        totalQuantity: 5,
        lines: [
          { quantity: 1, product: { id: "p-2" } },
          { quantity: 4, product: { id: "p-3" } },
        ],
      },
      null,
      { id: first, totalQuantity: 2, lines: [{ quantity: 2, product: { id: "p-1" } }] },
      null,
    ]);
  });

  it("references products by key only, for the products subgraph to resolve", async () => {
    const sdl = await graphql(
      ctx.url,
      `
        {
          _service {
            sdl
          }
        }
      `,
    );
    expect(sdl.data!._service.sdl).toMatch(
      /type Product\s+@key\(fields: "id", resolvable: false\)\s*\{\s*id: ID!\s*\}/,
    );
  });
});
