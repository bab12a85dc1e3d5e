/** The form every email is stored and compared in. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

const MAX_EMAIL_LENGTH = 254;
// Deliberately loose: one @, something before it, a dotted domain, no spaces. Whether the address
// really exists is for email verification to find out.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

export const isValidEmail = (normalized: string) => normalized.length <= MAX_EMAIL_LENGTH && EMAIL.test(normalized);

/** The part before the last @ (the whole string when there is none). */
export const emailLocalPart = (email: string) => {
  const at = email.lastIndexOf("@");
  return at < 0 ? email : email.slice(0, at);
};
