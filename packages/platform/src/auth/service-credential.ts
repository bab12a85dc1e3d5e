import { createHash, timingSafeEqual } from "node:crypto";

/** The header the router and the services send to prove a request did not come from outside. */
export const SERVICE_CREDENTIAL_HEADER = "x-service-credential";
/** Set by a service calling another as itself (not on behalf of a user). */
export const SERVICE_NAME_HEADER = "x-service-name";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Constant-time comparison of a presented credential with the accepted one (or ones: the current
 * and, during a rotation, the other). Every accepted value is compared, so the time taken does
 * not tell which one matched.
 */
export function credentialMatches(
  presented: string | string[] | undefined,
  accepted: string | readonly string[],
): boolean {
  if (typeof presented !== "string" || presented.length === 0) return false;
  const given = digest(presented);
  let matched = false;
  for (const value of typeof accepted === "string" ? [accepted] : accepted)
    if (timingSafeEqual(given, digest(value))) matched = true;
  return matched;
}

/** The credentials a service accepts: its own, and a second one while a rotation is under way. */
export const acceptedCredentials = (config: {
  SERVICE_CREDENTIAL: string;
  SERVICE_CREDENTIAL_ALSO_ACCEPTED?: string;
}) =>
  config.SERVICE_CREDENTIAL_ALSO_ACCEPTED
    ? [config.SERVICE_CREDENTIAL, config.SERVICE_CREDENTIAL_ALSO_ACCEPTED]
    : [config.SERVICE_CREDENTIAL];
