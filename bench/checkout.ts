/**
 * `pnpm bench`: checkout throughput and latency on this machine, against the real stores (the same
 * in-process products, cart and orders subgraphs the integration tests use, over HTTP on loopback).
 *
 *   1. N checkouts of 2 lines each, C at a time, plenty of stock: orders/s, p50/p95/p99 latency.
 *   2. Contention: B buyers at once for K units of one product: exactly K orders, B − K refused.
 *
 * Figures only; nothing here is asserted by `pnpm test` (timings do not belong in tests).
 */
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { graphql } from "@fv/platform/testing";
import { products } from "../subgraphs/products/src/db/schema.js";
import { startWorld, workingDay } from "../subgraphs/orders/test/world.js";

const TOTAL = Number(process.env.BENCH_CHECKOUTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const BUYERS = Number(process.env.BENCH_BUYERS ?? 50);
const UNITS = Number(process.env.BENCH_UNITS ?? 10);

const CHECKOUT = `mutation($input: CheckoutInput!) { checkout(input: $input) { order { id total } errors { code } } }`;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

const world = await startWorld();
try {
  await world.catalogue.store.db.update(products).set({ stockOnHand: 1_000_000, reserved: 0 });
  const catalogue = (await world.catalogue.store.db.select().from(products)).filter((p) => p.active);
  const date = workingDay(3);
  const input = (lines: { productId: string; quantity: number }[]) => ({
    idempotencyKey: randomUUID(),
    lines,
    buyer: { name: "Bench", email: "bench@example.cl", phone: "+56911112222" },
    address: { street: "Av. Providencia 1", commune: "Providencia" },
    delivery: { method: "STANDARD", date, slot: "MORNING" },
    paymentMethod: "WEBPAY",
  });

  // Warm-up: connections, JIT, the catalogue's caches.
  for (let i = 0; i < 20; i++)
    await graphql(world.orders.url, CHECKOUT, {
      input: input([{ productId: catalogue[i % catalogue.length]!.id, quantity: 1 }]),
    });

  const latencies: number[] = [];
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TOTAL) {
        const i = next++;
        const lines = [catalogue[i % catalogue.length]!, catalogue[(i * 7 + 3) % catalogue.length]!]
          .filter((p, j, all) => all.findIndex((q) => q.id === p.id) === j)
          .map((p) => ({ productId: p.id, quantity: 1 }));
        const t0 = performance.now();
        const res = await graphql(world.orders.url, CHECKOUT, { input: input(lines) });
        latencies.push(performance.now() - t0);
        if (res.data?.checkout?.errors?.length || res.errors) failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  console.log(
    `checkout: ${TOTAL} orders, ${CONCURRENCY} at a time, ${failed} failed: ${(TOTAL / seconds).toFixed(1)} orders/s; ` +
      `latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p95 ${percentile(latencies, 95).toFixed(0)} ms, ` +
      `p99 ${percentile(latencies, 99).toFixed(0)} ms`,
  );

  const contested = catalogue[0]!.id;
  const contestedSlug = catalogue[0]!.slug;
  await world.setStock(contested, UNITS);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: BUYERS }, () =>
      graphql(world.orders.url, CHECKOUT, { input: input([{ productId: contested, quantity: 1 }]) }),
    ),
  );
  const ordered = results.filter((r) => r.data?.checkout?.order).length;
  const refused = results.filter((r) => r.data?.checkout?.errors?.[0]?.code === "OUT_OF_STOCK").length;
  const after = await world.product(contestedSlug);
  console.log(
    `contention: ${BUYERS} buyers for ${UNITS} units in ${(performance.now() - t0).toFixed(0)} ms: ${ordered} ordered, ` +
      `${refused} refused out of stock; stock on hand ${after!.stockOnHand}, reserved ${after!.reserved}`,
  );
} finally {
  await world.stop();
}
