import { DateTimeScalar } from "@fv/platform";
import type { Resolvers } from "../__generated__/resolvers-types.js";
import { Mutation } from "./Mutation.js";
import { Product } from "./Product.js";
import { Query } from "./Query.js";
import { Review } from "./Review.js";
import { User } from "./User.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Review, Product, User };
