import { emailLocalPart, normalizeEmail, parseChileanPhone } from "@fv/platform";
import { charCount, optionalText, type Problem } from "./problem.js";

export const NAME_LENGTH = { min: 2, max: 100 };

/** NFC (one code point per accented letter, as search expects), trimmed, single spaces. */
export const normalizeName = (name: string) => name.normalize("NFC").trim().replace(/\s+/g, " ");

export interface ProfileUpdateInput {
  /** Absent or null: unchanged. */
  name?: string | null;
  /** Absent: unchanged; null or blank: removed. */
  phone?: string | null;
}

export interface ProfileChanges {
  name?: string;
  phone?: string | null;
}

/** What to store for an update of one's own profile, or what is wrong with each field. */
export function validateProfileUpdate(input: ProfileUpdateInput): { changes: ProfileChanges; problems: Problem[] } {
  const problems: Problem[] = [];
  const changes: ProfileChanges = {};
  if (input.name !== undefined && input.name !== null) {
    const name = normalizeName(input.name);
    const length = charCount(name);
    if (length < NAME_LENGTH.min || length > NAME_LENGTH.max)
      problems.push({
        field: "name",
        code: "INVALID_NAME",
        message: `name must be ${NAME_LENGTH.min} to ${NAME_LENGTH.max} characters (it has ${length})`,
      });
    else changes.name = name;
  }
  if (input.phone !== undefined) {
    const raw = optionalText(input.phone);
    const phone = raw === null ? null : parseChileanPhone(raw);
    if (raw !== null && phone === null)
      problems.push({
        field: "phone",
        code: "INVALID_PHONE",
        message: "phone must be a Chilean number: +56 followed by 9 digits, e.g. +56 9 1234 5678",
      });
    else changes.phone = phone;
  }
  return { changes: problems.length ? {} : changes, problems };
}

export interface RegisteredAccount {
  userId: string;
  email: string;
  name?: string | null;
  phone?: string | null;
}

/**
 * The profile created from auth's registration event. Auth validated the account already; what
 * it sent is stored as well as it can be (a name too short becomes the email's local part, a
 * phone that is not Chilean is left out) rather than the event being refused forever.
 */
export function profileFromRegistration(account: RegisteredAccount) {
  const email = normalizeEmail(account.email);
  const name = normalizeName(account.name ?? "");
  const bounded = [...name].slice(0, NAME_LENGTH.max).join("").trim();
  const rawPhone = optionalText(account.phone);
  return {
    id: account.userId,
    email,
    name: charCount(bounded) >= NAME_LENGTH.min ? bounded : normalizeName(emailLocalPart(email)),
    phone: rawPhone === null ? null : parseChileanPhone(rawPhone),
  };
}
