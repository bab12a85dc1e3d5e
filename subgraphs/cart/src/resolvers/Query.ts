import { requireUser } from "@fv/platform";
import { customerCartId } from "../store.js";
import { visibleCart } from "./Cart.js";
import type { QueryResolvers } from "../__generated__/resolvers-types.js";

export const Query: QueryResolvers = {
  cart: async (_parent, { id }, { loaders, caller }) => visibleCart(caller, await loaders.cart.load(id)),
  myCart: async (_parent, _args, { loaders, caller }) => {
    const { userId } = requireUser(caller);
    return visibleCart(caller, await loaders.cart.load(customerCartId(userId)));
  },
};
