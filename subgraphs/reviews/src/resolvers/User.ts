import { requireSelfOr } from "@fv/platform";
import type { UserResolvers } from "../__generated__/resolvers-types.js";
import { reviewPage } from "./review-page.js";

export const User: UserResolvers = {
  // Any user id is a user to this subgraph; what it holds for them is guarded field by field.
  __resolveReference: ({ id }) => ({ id }),
  reviews: (user, args, { models, caller }) => {
    requireSelfOr(caller, user.id, "reviews:moderate");
    return reviewPage(models, { authorId: user.id }, args, () => models.Review.countDocuments({ authorId: user.id }));
  },
};
