import { createPeerClient, type PeerClient, type UserError } from "@fv/platform";

/** The cart subgraph as the wishlist calls it: with the service credential, as the service "wishlist". */
export function createCartClient(config: { CART_URL: string; SERVICE_CREDENTIAL: string; PEER_TIMEOUT_MS: number }) {
  return createPeerClient({
    peer: "cart",
    url: config.CART_URL,
    serviceName: "wishlist",
    serviceCredential: config.SERVICE_CREDENTIAL,
    timeoutMs: config.PEER_TIMEOUT_MS,
  });
}

const ADD_TO_CUSTOMER_CART = /* GraphQL */ `
  mutation WishlistAddToCart($userId: ID!, $productId: ID!, $quantity: Int!) {
    addToCustomerCart(userId: $userId, productId: $productId, quantity: $quantity) {
      cart {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`;

export interface CartAnswer {
  cart: { id: string } | null;
  errors: UserError[];
}

/**
 * Adds units of a product to the customer's cart (the cart opens one if they have none). The cart's
 * business refusals come back in `errors`; a cart that cannot be reached or answers with a fault throws
 * a PeerError.
 */
export async function addToCustomerCart(
  cart: PeerClient,
  input: { userId: string; productId: string; quantity: number },
  requestId?: string,
): Promise<CartAnswer> {
  const data = await cart.request<{ addToCustomerCart: CartAnswer }>(ADD_TO_CUSTOMER_CART, input, { requestId });
  return data.addToCustomerCart;
}
