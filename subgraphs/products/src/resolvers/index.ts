import { DateTimeScalar } from "@fv/platform";
import type { Resolvers } from "../__generated__/resolvers-types.js";
import { Category } from "./Category.js";
import { Mutation } from "./Mutation.js";
import { Occasion } from "./Occasion.js";
import { Product } from "./Product.js";
import { Query } from "./Query.js";
import { ReservationLine } from "./ReservationLine.js";

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Product,
  Category,
  Occasion,
  ReservationLine,
};
