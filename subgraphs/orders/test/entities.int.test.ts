import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { seedOrder, startOrders, type Headers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startOrders>>;
/** Support staff: orders:view_all. */
let staff: Headers;
beforeAll(async () => {
  ctx = await startOrders();
  staff = await ctx.signIn(undefined, "support");
});
afterAll(() => ctx?.stop());

/** An order of that customer awaiting payment; a guest order without one. */
const createOrder = (customerId?: string) =>
  seedOrder(ctx.store.db, { customerId: customerId ?? null, buyerEmail: "ana@example.cl", stream: ctx.stream });

const ANA = "0b9f7f0e-1111-4a4a-9b9b-000000000001";
const BENJA = "0b9f7f0e-2222-4a4a-9b9b-000000000002";
const NOBODY = "0b9f7f0e-3333-4a4a-9b9b-000000000003";

describe("_entities contract", () => {
  it("resolves Order references in order, null for unknown or malformed ids", async () => {
    const first = await createOrder(ANA);
    const second = await createOrder();
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Order", id: second.id },
        { __typename: "Order", id: "00000000-0000-0000-0000-000000000000" },
        { __typename: "Order", id: first.id },
        { __typename: "Order", id: "not-a-uuid" },
      ],
      `... on Order { id number status customer { id } nextStatuses statusHistory { from to } }`,
      staff,
    );
    expect(res.errors).toBeUndefined();
    const history = [{ from: null, to: "PENDING_PAYMENT" }];
    const nextStatuses = ["PAID", "CANCELLED"];
    expect(res.data!._entities).toEqual([
      {
        id: second.id,
        number: second.number,
        status: "PENDING_PAYMENT",
        customer: null,
        nextStatuses,
        statusHistory: history,
      },
      null,
      {
        id: first.id,
        number: first.number,
        status: "PENDING_PAYMENT",
        customer: { id: ANA },
        nextStatuses,
        statusHistory: history,
      },
      null,
    ]);
  });

  it("matches ids whatever their letter case, as PostgreSQL does", async () => {
    const order = await createOrder(BENJA.toUpperCase());
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "Order", id: order.id.toUpperCase() },
        { __typename: "User", id: BENJA.toUpperCase() },
      ],
      `... on Order { id customer { id } } ... on User { orders { totalCount } }`,
      // Benja's own token names him in lower case: still himself.
      await ctx.signIn(BENJA),
    );
    expect(res.data!._entities).toEqual([{ id: order.id, customer: { id: BENJA } }, { orders: { totalCount: 1 } }]);
  });

  it("contributes User.orders: each user's own orders, newest first, paged by cursor", async () => {
    const anas = [await createOrder(ANA), await createOrder(ANA), await createOrder(ANA)];
    const benjas = [await createOrder(BENJA)];
    const selection = `... on User { id orders(first: 2, after: $after) { totalCount edges { cursor node { id customer { id } } } pageInfo { hasNextPage hasPreviousPage endCursor } } }`;
    const query = `query($representations: [_Any!]!, $after: String) { _entities(representations: $representations) { ${selection} } }`;
    const users = [ANA, BENJA, NOBODY, "user-of-another-shape"].map((id) => ({ __typename: "User", id }));

    const res = await graphql(ctx.url, query, { representations: users }, staff);
    expect(res.errors).toBeUndefined();
    const [ana, benja, nobody, other] = res.data!._entities;
    // Ana also owns the order from the previous test.
    expect(ana.orders.totalCount).toBe(4);
    expect(ana.orders.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([anas[2]!.id, anas[1]!.id]);
    expect(ana.orders.edges.every((e: { node: { customer: { id: string } } }) => e.node.customer.id === ANA)).toBe(
      true,
    );
    expect(ana.orders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    // Benja also owns the order from the previous test.
    expect(benja.orders).toMatchObject({ totalCount: 2, edges: [{ node: { id: benjas[0]!.id } }, {}] });
    expect(benja.orders.pageInfo.hasNextPage).toBe(false);
    for (const empty of [nobody, other]) {
      expect(empty.orders).toEqual({
        totalCount: 0,
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, endCursor: null },
      });
    }
    expect(other.id).toBe("user-of-another-shape");

    const next = await graphql(
      ctx.url,
      query,
      { representations: [{ __typename: "User", id: ANA }], after: ana.orders.pageInfo.endCursor },
      await ctx.signIn(ANA),
    );
    const page2 = next.data!._entities[0].orders;
    expect(page2.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([anas[0]!.id, expect.any(String)]);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it("rejects a forged cursor as BAD_USER_INPUT naming the argument", async () => {
    const res = await graphql(
      ctx.url,
      `
        query ($r: [_Any!]!) {
          _entities(representations: $r) {
            ... on User {
              orders(after: "bm9wZQ") {
                totalCount
              }
            }
          }
        }
      `,
      { r: [{ __typename: "User", id: ANA }] },
      await ctx.signIn(ANA),
    );
    expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(res.errors?.[0]?.message).toContain('"after"');
  });

  it("resolves to null every Order reference the caller may not see", async () => {
    const anas = await createOrder(ANA);
    const benjas = await createOrder(BENJA);
    const guests = await createOrder();
    const representations = [anas, benjas, guests].map(({ id }) => ({ __typename: "Order", id }));
    const selection = `... on Order { id buyerEmail nextStatuses }`;

    const asAna = await resolveEntities(ctx.url, representations, selection, await ctx.signIn(ANA));
    expect(asAna.errors).toBeUndefined();
    expect(asAna.data!._entities).toEqual([
      { id: anas.id, buyerEmail: "ana@example.cl", nextStatuses: ["CANCELLED"] },
      null,
      null,
    ]);
    const anonymous = await resolveEntities(ctx.url, representations, selection);
    expect(anonymous.data!._entities).toEqual([null, null, null]);
    // A driver has no assignment to go by yet: nothing but their own orders.
    const driver = await resolveEntities(ctx.url, representations, selection, await ctx.signIn(undefined, "delivery"));
    expect(driver.data!._entities).toEqual([null, null, null]);
  });

  it("refuses User.orders of someone else: FORBIDDEN signed in, UNAUTHENTICATED anonymous", async () => {
    await createOrder(BENJA);
    const representations = [{ __typename: "User", id: BENJA }];
    const selection = `... on User { id orders { totalCount edges { node { id } } } }`;

    const asAna = await resolveEntities(ctx.url, representations, selection, await ctx.signIn(ANA));
    expect(asAna.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(asAna.data?._entities ?? [null]).toEqual([null]);

    const anonymous = await resolveEntities(ctx.url, representations, selection);
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(anonymous.data?._entities ?? [null]).toEqual([null]);

    // A florist has orders:view_all; a driver does not.
    const florist = await resolveEntities(ctx.url, representations, selection, await ctx.signIn(undefined, "florist"));
    expect(florist.errors).toBeUndefined();
    expect(florist.data!._entities[0]!.orders.totalCount).toBeGreaterThan(0);
    const driver = await resolveEntities(ctx.url, representations, selection, await ctx.signIn(undefined, "delivery"));
    expect(driver.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
  });
});
