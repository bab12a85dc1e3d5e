import type { ReservationLineResolvers } from "../__generated__/resolvers-types.js";

export const ReservationLine: ReservationLineResolvers = {
  product: async (line, _args, { loaders }) => {
    const product = await loaders.product.load(line.productId);
    if (!product) throw new Error(`product ${line.productId} of a reservation is missing`);
    return product;
  },
};
