import { userError } from "@fv/platform";
import { retryAfterText } from "./attempt-verdict.js";
import type { OneTimeTokenVerdict } from "./token-verdicts.js";

/** TOO_MANY_ATTEMPTS, saying in seconds (and minutes) when to retry. */
export const tooManyAttempts = (field: string[] | null, what: string, retryAfterSeconds: number) =>
  userError(field, "TOO_MANY_ATTEMPTS", `too many ${what}: ${retryAfterText(retryAfterSeconds)}`);

/** One answer for an unknown email and a wrong password, so neither tells which it was. */
export const invalidCredentials = () =>
  userError(null, "INVALID_CREDENTIALS", "the email or the password is not correct");

/** A reset or verification token that cannot be used; an unknown and a used token answer alike. */
export const unusableToken = (verdict: Exclude<OneTimeTokenVerdict, "valid">, link: string) =>
  verdict === "expired"
    ? userError(["token"], "TOKEN_EXPIRED", `this ${link} link has expired: ask for a new one`)
    : userError(["token"], "INVALID_TOKEN", `this ${link} link is not valid or was already used: ask for a new one`);
