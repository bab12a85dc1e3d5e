import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq, inArray } from "drizzle-orm";
import { graphql } from "@fv/platform/testing";
import { products, reservations } from "../src/db/schema.js";
import { startProducts } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startProducts>>;
beforeAll(async () => {
  ctx = await startProducts({ env: { RESERVATION_SWEEP_SECONDS: "1" } });
});
afterAll(() => ctx?.stop());

const RESERVE = /* GraphQL */ `
  mutation ($orderRef: String!, $lines: [ReservationLineInput!]!) {
    reserveStock(orderRef: $orderRef, lines: $lines) {
      reservation {
        orderRef
        status
        expiresAt
        lines {
          quantity
          product {
            id
            availableQuantity
          }
        }
      }
      errors {
        field
        code
      }
    }
  }
`;
const SETTLE = (name: "confirmReservation" | "releaseReservation") => /* GraphQL */ `
  mutation ($orderRef: String!) {
    ${name}(orderRef: $orderRef) {
      reservation {
        status
      }
      errors {
        field
        code
      }
    }
  }
`;

async function product(slug: string) {
  const [row] = await ctx.store.db.select().from(products).where(eq(products.slug, slug));
  return row!;
}
const reserve = (orderRef: string, lines: { productId: string; quantity: number }[]) =>
  graphql(ctx.url, RESERVE, { orderRef, lines }, ctx.asService);

/** stock_reservation_conflicts_total as the service's /metrics serves it. */
async function conflictsCounted(): Promise<number> {
  const text = await (await fetch(`${ctx.url}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith("stock_reservation_conflicts_total"));
  if (!line) throw new Error("stock_reservation_conflicts_total is not exported");
  return Number(line.split(" ").at(-1));
}

describe("stock reservations", () => {
  it("are refused to anything but a service", async () => {
    const p = await product("ramo-rosas-rojas");
    const anonymous = await graphql(ctx.url, RESERVE, {
      orderRef: "o-anon",
      lines: [{ productId: p.id, quantity: 1 }],
    });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const admin = await graphql(
      ctx.url,
      RESERVE,
      { orderRef: "o-admin", lines: [{ productId: p.id, quantity: 1 }] },
      await ctx.as("admin"),
    );
    expect(admin.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const confirm = await graphql(ctx.url, SETTLE("confirmReservation"), { orderRef: "o-anon" }, await ctx.as("admin"));
    expect(confirm.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(await ctx.store.db.select().from(reservations)).toEqual([]);
  });

  it("holds stock, idempotently by orderRef, and confirm takes it off the shelf", async () => {
    const p = await product("ramo-girasoles-alegres");
    const first = await reserve("order-1", [{ productId: p.id, quantity: 3 }]);
    expect(first.data!.reserveStock.errors).toEqual([]);
    expect(first.data!.reserveStock.reservation.lines[0]).toEqual({
      quantity: 3,
      product: { id: p.id, availableQuantity: p.stockOnHand - 3 },
    });
    const again = await reserve("order-1", [{ productId: p.id, quantity: 3 }]);
    expect(again.data!.reserveStock.reservation.orderRef).toBe("order-1");
    expect((await product(p.slug)).reserved).toBe(3);

    const confirmed = await graphql(ctx.url, SETTLE("confirmReservation"), { orderRef: "order-1" }, ctx.asService);
    expect(confirmed.data!.confirmReservation).toEqual({ reservation: { status: "CONFIRMED" }, errors: [] });
    const twice = await graphql(ctx.url, SETTLE("confirmReservation"), { orderRef: "order-1" }, ctx.asService);
    expect(twice.data!.confirmReservation.reservation.status).toBe("CONFIRMED");
    const after = await product(p.slug);
    expect(after.stockOnHand).toBe(p.stockOnHand - 3);
    expect(after.reserved).toBe(0);
    // A paid order cancelled before delivery: the units come back to the shelf, once.
    for (let i = 0; i < 2; i++) {
      const release = await graphql(ctx.url, SETTLE("releaseReservation"), { orderRef: "order-1" }, ctx.asService);
      expect(release.data!.releaseReservation).toEqual({ reservation: { status: "RELEASED" }, errors: [] });
    }
    expect(await product(p.slug)).toMatchObject({ stockOnHand: p.stockOnHand, reserved: 0 });
    const late = await graphql(ctx.url, SETTLE("confirmReservation"), { orderRef: "order-1" }, ctx.asService);
    expect(late.data!.confirmReservation.errors[0].code).toBe("RESERVATION_RELEASED");
  });

  it("release returns the stock, and releasing twice changes nothing", async () => {
    const p = await product("ramo-rosas-blancas");
    await reserve("order-2", [{ productId: p.id, quantity: 2 }]);
    expect((await product(p.slug)).reserved).toBe(2);
    for (let i = 0; i < 2; i++) {
      const res = await graphql(ctx.url, SETTLE("releaseReservation"), { orderRef: "order-2" }, ctx.asService);
      expect(res.data!.releaseReservation).toEqual({ reservation: { status: "RELEASED" }, errors: [] });
    }
    const after = await product(p.slug);
    expect(after.reserved).toBe(0);
    expect(after.stockOnHand).toBe(p.stockOnHand);
  });

  it("is all or nothing: one short line refuses the whole order and holds nothing", async () => {
    const plenty = await product("ramo-alstroemerias");
    const soldOut = await product("ramo-peonias-temporada");
    const res = await reserve("order-3", [
      { productId: plenty.id, quantity: 2 },
      { productId: soldOut.id, quantity: 1 },
    ]);
    expect(res.data!.reserveStock).toEqual({
      reservation: null,
      errors: [{ field: ["lines", "1", "quantity"], code: "INSUFFICIENT_STOCK" }],
    });
    expect((await product(plenty.slug)).reserved).toBe(0);
    expect(await ctx.store.db.select().from(reservations).where(eq(reservations.orderRef, "order-3"))).toEqual([]);
  });

  it("names bad lines and stores nothing", async () => {
    const p = await product("ramo-alstroemerias");
    const res = await reserve("order-4", [
      { productId: p.id, quantity: 0 },
      { productId: "nope", quantity: 1 },
    ]);
    expect(res.data!.reserveStock.errors).toEqual([
      { field: ["lines", "0", "quantity"], code: "INVALID_QUANTITY" },
      { field: ["lines", "1", "productId"], code: "UNKNOWN_PRODUCT" },
    ]);
    expect(await ctx.store.db.select().from(reservations).where(eq(reservations.orderRef, "order-4"))).toEqual([]);
  });

  it("expires when not confirmed in time: the stock comes back and confirming is refused", async () => {
    const p = await product("ramo-gerberas-colores");
    await reserve("order-5", [{ productId: p.id, quantity: 5 }]);
    await ctx.store.db
      .update(reservations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(reservations.orderRef, "order-5"));
    // Any later reservation sweeps expired ones first.
    await reserve("order-6", [{ productId: p.id, quantity: 1 }]);
    expect((await product(p.slug)).reserved).toBe(1);
    const [expired] = await ctx.store.db.select().from(reservations).where(eq(reservations.orderRef, "order-5"));
    expect(expired!.status).toBe("EXPIRED");
    const confirm = await graphql(ctx.url, SETTLE("confirmReservation"), { orderRef: "order-5" }, ctx.asService);
    expect(confirm.data!.confirmReservation.errors[0].code).toBe("RESERVATION_EXPIRED");
    expect((await product(p.slug)).stockOnHand).toBe(p.stockOnHand);
  });

  it("an expired reservation confirmed before any sweep is refused and its stock returned", async () => {
    const p = await product("ramo-lisianthus-lila");
    await reserve("order-7", [{ productId: p.id, quantity: 2 }]);
    await ctx.store.db
      .update(reservations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(reservations.orderRef, "order-7"));
    const confirm = await graphql(ctx.url, SETTLE("confirmReservation"), { orderRef: "order-7" }, ctx.asService);
    expect(confirm.data!.confirmReservation.errors[0].code).toBe("RESERVATION_EXPIRED");
    const after = await product(p.slug);
    expect(after).toMatchObject({ reserved: 0, stockOnHand: p.stockOnHand });
  });

  it("expired reservations give their stock back on their own, without another checkout", async () => {
    const p = await product("caja-rosas-rosadas");
    await reserve("order-8", [{ productId: p.id, quantity: 4 }]);
    await ctx.store.db
      .update(reservations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(reservations.orderRef, "order-8"));
    let status = "ACTIVE";
    for (let i = 0; i < 50 && status === "ACTIVE"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [row] = await ctx.store.db.select().from(reservations).where(eq(reservations.orderRef, "order-8"));
      status = row!.status;
    }
    expect(status).toBe("EXPIRED");
    expect((await product(p.slug)).reserved).toBe(0);
  });

  it("under concurrency exactly K of N one-unit reservations succeed and stock never goes negative", async () => {
    const K = 5;
    const N = 30;
    const p = await product("suculentas-trio");
    await ctx.store.db.update(products).set({ stockOnHand: K, reserved: 0 }).where(eq(products.id, p.id));
    const conflictsBefore = await conflictsCounted();
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => reserve(`race-${i}`, [{ productId: p.id, quantity: 1 }])),
    );
    for (const r of results) expect(r.errors).toBeUndefined();
    const won = results.filter((r) => r.data!.reserveStock.reservation !== null);
    const lost = results.filter((r) => r.data!.reserveStock.errors[0]?.code === "INSUFFICIENT_STOCK");
    expect(won).toHaveLength(K);
    expect(lost).toHaveLength(N - K);
    // Each refusal is counted once for the alerts: stock_reservation_conflicts_total at /metrics.
    expect((await conflictsCounted()) - conflictsBefore).toBe(N - K);
    const after = await product(p.slug);
    expect(after).toMatchObject({ stockOnHand: K, reserved: K });
    const stored = await ctx.store.db
      .select()
      .from(reservations)
      .where(
        inArray(
          reservations.orderRef,
          Array.from({ length: N }, (_, i) => `race-${i}`),
        ),
      );
    expect(stored).toHaveLength(K);

    // Confirming them all in parallel empties the shelf exactly.
    await Promise.all(
      won.map((r) =>
        graphql(
          ctx.url,
          SETTLE("confirmReservation"),
          { orderRef: r.data!.reserveStock.reservation.orderRef },
          ctx.asService,
        ),
      ),
    );
    expect(await product(p.slug)).toMatchObject({ stockOnHand: 0, reserved: 0 });
  });
});
