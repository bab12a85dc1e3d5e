import { DateTimeScalar } from "@fv/platform";
import type { Resolvers } from "../__generated__/resolvers-types.js";
import { Account } from "./Account.js";
import { Mutation } from "./Mutation.js";
import { Query } from "./Query.js";
import { Session } from "./Session.js";

export const resolvers: Resolvers = { DateTime: DateTimeScalar, Query, Mutation, Account, Session };
