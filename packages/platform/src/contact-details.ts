/** Email addresses and phone numbers as every service accepts them. */

export const EMAIL_MAX_LENGTH = 254;
// The HTML form's own check (WHATWG), with a dot required in the domain: what a browser's
// type="email" field lets through, so the apps and the API agree. Whether the address exists is for
// email verification to find out.
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The form an email is stored and compared in. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export const isValidEmail = (email: string) => email.length <= EMAIL_MAX_LENGTH && EMAIL.test(email);

/** The part before the last @ (the whole string when there is none). */
export const emailLocalPart = (email: string) => {
  const at = email.lastIndexOf("@");
  return at < 0 ? email : email.slice(0, at);
};

// +56, then 9 digits (mobile 9XXXXXXXX or a landline with its area code): the national numbering plan.
const CHILEAN_PHONE = /^\+56\d{9}$/;

/** "+56 9 1234-5678" → "+56912345678"; null when it is not a Chilean number in that form. */
export function parseChileanPhone(input: string): string | null {
  const compact = input.replace(/[\s-]/g, "");
  return CHILEAN_PHONE.test(compact) ? compact : null;
}
