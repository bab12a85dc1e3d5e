import { isValidEmail, parseChileanPhone, userError, type UserError } from "@fv/platform";

export const NAME_LENGTH = { min: 2, max: 100 };
export const SUBJECT_LENGTH = { min: 3, max: 150 };
export const MESSAGE_LENGTH = { min: 10, max: 5000 };

/** Control characters (and broken UTF-16) have no place in text a person wrote; line breaks and tabs do. */
const CONTROL_EXCEPT_NEWLINE_TAB = /(?![\n\t])[\p{Cc}\p{Cs}]/u;
/** Name and subject go into email headers later: not even a line break there. */
const ANY_CONTROL = /[\p{Cc}\p{Cs}]/u;

export interface ContactMessageInput {
  name: string;
  email: string;
  phone?: string | null;
  subject: string;
  message: string;
  consent: boolean;
}

export interface ContactMessageText {
  name: string;
  email: string;
  phone: string | null;
  subject: string;
  message: string;
  consent: boolean;
}

/** The honeypot: a field people never see, so anything in it was typed by a bot. */
export const isHoneypotFilled = (website: string | null | undefined) => (website ?? "").trim() !== "";

const normalize = (text: string) => text.replace(/\r\n?/g, "\n").trim();

function checkText(
  field: string,
  text: string,
  { min, max, multiline }: { min: number; max: number; multiline: boolean },
): UserError | null {
  if (text === "") return userError(field, "REQUIRED", `${field} must not be empty`);
  if (text.length < min) return userError(field, "TOO_SHORT", `${field} must be at least ${min} characters`);
  if (text.length > max) return userError(field, "TOO_LONG", `${field} must be at most ${max} characters`);
  if ((multiline ? CONTROL_EXCEPT_NEWLINE_TAB : ANY_CONTROL).test(text))
    return userError(field, "INVALID_CHARACTERS", `${field} must not contain control characters`);
  return null;
}

/** Checks a contact message, one UserError per wrong field (paths relative to the input). */
export function validateContactMessage(input: ContactMessageInput): { value: ContactMessageText; errors: UserError[] } {
  const phone = input.phone?.trim() ?? "";
  const parsedPhone = phone === "" ? null : parseChileanPhone(phone);
  const value: ContactMessageText = {
    name: normalize(input.name),
    email: input.email.trim(),
    phone: parsedPhone ?? (phone === "" ? null : phone),
    subject: normalize(input.subject),
    message: normalize(input.message),
    consent: input.consent,
  };
  const errors = [
    checkText("name", value.name, { ...NAME_LENGTH, multiline: false }),
    value.email === ""
      ? userError("email", "REQUIRED", "email must not be empty")
      : !isValidEmail(value.email)
        ? userError("email", "INVALID_EMAIL", "email must be an address like nombre@dominio.cl")
        : null,
    phone === "" || parsedPhone !== null
      ? null
      : userError("phone", "INVALID_PHONE", "phone must be a Chilean number: +56 and 9 digits"),
    checkText("subject", value.subject, { ...SUBJECT_LENGTH, multiline: false }),
    checkText("message", value.message, { ...MESSAGE_LENGTH, multiline: true }),
    value.consent === true ? null : userError("consent", "CONSENT_REQUIRED", "consent to be contacted is required"),
  ].filter((error): error is UserError => error !== null);
  return { value, errors };
}
