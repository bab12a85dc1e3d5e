import { createHash } from "node:crypto";
import type { AttemptLimit } from "./attempt-verdict.js";

const FIFTEEN_MINUTES = 15 * 60;

/** Registrations per email: enough for typos, too few to probe which addresses have accounts. */
export const REGISTER_LIMIT: AttemptLimit = { limit: 5, windowSeconds: FIFTEEN_MINUTES };
/** Failed password checks (sign-in, password change) per email and per client address. */
export const PASSWORD_FAILURE_LIMIT: AttemptLimit = { limit: 5, windowSeconds: FIFTEEN_MINUTES };
/** Reset and verification emails per address or account: nobody can flood a mailbox. */
export const EMAIL_REQUEST_LIMIT: AttemptLimit = { limit: 5, windowSeconds: FIFTEEN_MINUTES };

// Keys hold a digest, not the address: no personal data in Redis and a bounded key length.
const digest = (value: string) => createHash("sha256").update(value).digest("base64url");

export const emailSubject = (normalizedEmail: string) => `email:${digest(normalizedEmail)}`;
export const addressSubject = (clientAddress: string) => `address:${digest(clientAddress)}`;
export const accountSubject = (accountId: string) => `account:${accountId}`;

/** The subjects a password check counts against; a request without a known address counts per email only. */
export const passwordCheckSubjects = (normalizedEmail: string, clientAddress: string | undefined) =>
  clientAddress ? [emailSubject(normalizedEmail), addressSubject(clientAddress)] : [emailSubject(normalizedEmail)];
