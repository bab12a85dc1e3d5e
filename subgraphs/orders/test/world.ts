import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { eq } from "drizzle-orm";
import { createTestIssuer } from "@fv/platform/testing";
import { products, reservations } from "../../products/src/db/schema.js";
import { startProducts } from "../../products/test/helpers.js";
import { startCart } from "../../cart/test/helpers.js";
import { startOrders } from "./helpers.js";

export { workingDay } from "./dates.js";

/**
 * The three subgraphs a checkout involves, each real, on stores of its own: products (the seeded
 * demo catalogue), cart, and orders calling both with the service credential. One token issuer
 * for all, so a customer signed in at orders is the same customer at the cart.
 */
export async function startWorld(
  options: { orders?: Parameters<typeof startOrders>[0]; proxyProducts?: boolean } = {},
) {
  const issuer = await createTestIssuer();
  const catalogue = await startProducts();
  const cart = await startCart({ productsUrl: `${catalogue.url}/graphql`, issuer });
  // Orders may reach products through a proxy the test can take down (`world.productsProxy.setDown`).
  const productsProxy = options.proxyProducts ? await slowProxy(`${catalogue.url}/graphql`, /$^/, 0) : null;
  const orders = await startOrders({
    productsUrl: productsProxy?.url ?? `${catalogue.url}/graphql`,
    cartUrl: `${cart.url}/graphql`,
    issuer,
    ...options.orders,
  });
  const productsDb = catalogue.store.db;
  return {
    issuer,
    catalogue,
    cart,
    orders,
    productsProxy,
    /** A product of the demo catalogue as products stores it. */
    product: async (slug: string) => (await productsDb.select().from(products).where(eq(products.slug, slug)))[0]!,
    setStock: (id: string, stockOnHand: number) =>
      productsDb.update(products).set({ stockOnHand, reserved: 0 }).where(eq(products.id, id)),
    reservation: async (orderRef: string) =>
      (await productsDb.select().from(reservations).where(eq(reservations.orderRef, orderRef)))[0],
    reservationCount: async () => (await productsDb.select().from(reservations)).length,
    stop: async () => {
      await orders.stop();
      await productsProxy?.stop();
      await cart.stop();
      await catalogue.stop();
      await issuer.stop();
    },
  };
}

export { eventually } from "@fv/platform/testing";

/**
 * A proxy in front of a subgraph that holds back requests whose body matches `slow` for `delayMs`
 * (a products that is slow to reserve), passing everything else straight through; `setDown(true)`
 * makes the peer unreachable until `setDown(false)`.
 */
export async function slowProxy(targetUrl: string, slow: RegExp, delayMs: number) {
  const target = new URL(targetUrl);
  let down = false;
  const server: Server = createServer((req, res) => {
    // Down: the connection is cut without an answer, as a crashed pod's would be.
    if (down) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const forward = () => {
        const upstream = httpRequest(
          { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", () => res.destroy());
        upstream.end(body);
      };
      if (slow.test(body.toString("utf8"))) setTimeout(forward, delayMs);
      else forward();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    /** Takes the peer behind the proxy down (every request cut) or back up. */
    setDown: (value: boolean) => void (down = value),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
