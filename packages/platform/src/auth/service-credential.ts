import { createHash, timingSafeEqual } from "node:crypto";

/** The header the router and the services send to prove a request did not come from outside. */
export const SERVICE_CREDENTIAL_HEADER = "x-service-credential";
/** Set by a service calling another as itself (not on behalf of a user). */
export const SERVICE_NAME_HEADER = "x-service-name";

const digest = (value: string) => createHash("sha256").update(value).digest();

/** Constant-time comparison of a presented credential with the expected one. */
export function credentialMatches(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== "string" || presented.length === 0) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
