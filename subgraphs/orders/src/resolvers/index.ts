import { DateTimeScalar } from "@fv/platform";
import type { Resolvers } from "../__generated__/resolvers-types.js";
import { Mutation } from "./Mutation.js";
import { Order } from "./Order.js";
import { OrderLine } from "./OrderLine.js";
import { Query } from "./Query.js";
import { User } from "./User.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Order, OrderLine, User };
