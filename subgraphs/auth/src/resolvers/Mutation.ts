import type { MutationResolvers } from "../__generated__/resolvers-types.js";
import { register } from "./mutation/register.js";
import { login, refreshSession } from "./mutation/sign-in.js";
import { logout, logoutEverywhere, revokeSession } from "./mutation/sign-out.js";
import { changePassword, requestPasswordReset, resetPassword } from "./mutation/passwords.js";
import { requestEmailVerification, verifyEmail } from "./mutation/email-verification.js";

export const Mutation: MutationResolvers = {
  register,
  login,
  refreshSession,
  logout,
  logoutEverywhere,
  revokeSession,
  requestPasswordReset,
  resetPassword,
  changePassword,
  requestEmailVerification,
  verifyEmail,
};
