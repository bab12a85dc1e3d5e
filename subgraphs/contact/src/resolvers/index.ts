import { DateTimeScalar } from "@fv/platform";
import type { Resolvers } from "../__generated__/resolvers-types.js";
import { ContactMessage } from "./ContactMessage.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, ContactMessage };
