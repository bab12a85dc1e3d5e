import type { MutationResolvers } from "../__generated__/resolvers-types.js";
import { addressMutations } from "./address-mutations.js";
import { profileMutations } from "./profile-mutations.js";
import { roleMutations } from "./role-mutations.js";

export const Mutation: MutationResolvers = { ...profileMutations, ...addressMutations, ...roleMutations };
