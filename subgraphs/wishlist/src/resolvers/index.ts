import { DateTimeScalar } from "@fv/platform";
import type { Resolvers } from "../__generated__/resolvers-types.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { Wishlist } from "./Wishlist.js";
import { WishlistItem } from "./WishlistItem.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Wishlist, WishlistItem };
