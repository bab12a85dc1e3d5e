import { createPeerClient, type PeerClient, type UserError } from "@fv/platform";
import type { Config } from "./config.js";

/*
 * What orders asks of its peers. Products answers with prices and holds stock; the cart answers
 * with the lines of a cart, deciding itself whether the caller may read it (the buyer's own
 * Authorization is passed on).
 */

export interface CatalogueProduct {
  id: string;
  sku: string;
  name: string;
  price: number;
  active: boolean;
  availableQuantity: number;
}

export interface ReservationAnswer {
  reservation: { orderRef: string; status: string; expiresAt: string } | null;
  errors: UserError[];
}

export interface Peers {
  products: PeerClient;
  cart: PeerClient;
}

export const createPeers = (config: Config): Peers => ({
  products: createPeerClient({
    peer: "products",
    url: config.PRODUCTS_URL,
    serviceName: "orders",
    serviceCredential: config.SERVICE_CREDENTIAL,
    timeoutMs: config.PEER_TIMEOUT_MS,
  }),
  cart: createPeerClient({
    peer: "cart",
    url: config.CART_URL,
    serviceName: "orders",
    serviceCredential: config.SERVICE_CREDENTIAL,
    timeoutMs: config.PEER_TIMEOUT_MS,
  }),
});

/** The catalogue's current view of these products, by id; an unknown id is absent from the map. */
export async function fetchProducts(peers: Peers, ids: string[], requestId?: string) {
  const answers = await peers.products.entities<CatalogueProduct>(
    "CheckoutProducts",
    "Product",
    ids.map((id) => ({ id })),
    "id sku name price active availableQuantity",
    { requestId },
  );
  const found = new Map<string, CatalogueProduct>();
  for (const product of answers) if (product) found.set(product.id.toLowerCase(), product);
  return found;
}

/** The lines of a cart as the buyer may see it; null when the cart is unknown, expired or not theirs. */
export async function fetchCartLines(
  peers: Peers,
  cartId: string,
  call: { requestId?: string; authorization?: string },
) {
  const [cart] = await peers.cart.entities<{ lines: { quantity: number; product: { id: string } }[] }>(
    "CheckoutCart",
    "Cart",
    [{ id: cartId }],
    "lines { quantity product { id } }",
    call,
  );
  return cart ? cart.lines.map((line) => ({ productId: line.product.id, quantity: line.quantity })) : null;
}

const RESERVATION_FIELDS = "reservation { orderRef status expiresAt } errors { field code message }";

export const reserveStock = (
  peers: Peers,
  orderRef: string,
  lines: { productId: string; quantity: number }[],
  requestId?: string,
) =>
  peers.products
    .request<{
      reserveStock: ReservationAnswer;
    }>(
      `mutation Reserve($orderRef: String!, $lines: [ReservationLineInput!]!) { reserveStock(orderRef: $orderRef, lines: $lines) { ${RESERVATION_FIELDS} } }`,
      { orderRef, lines },
      { requestId },
    )
    .then((data) => data.reserveStock);

export const settleReservation = (peers: Peers, orderRef: string, action: "CONFIRM" | "RELEASE") => {
  const field = action === "CONFIRM" ? "confirmReservation" : "releaseReservation";
  return peers.products
    .request<Record<string, ReservationAnswer>>(
      `mutation Settle($orderRef: String!) { ${field}(orderRef: $orderRef) { ${RESERVATION_FIELDS} } }`,
      { orderRef },
    )
    .then((data) => data[field]!);
};
