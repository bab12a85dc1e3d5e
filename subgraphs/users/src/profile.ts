import { isValidEmail, normalizeEmail, parseChileanPhone } from "@fv/platform";
import { charCount, optionalText, type Problem } from "./problem.js";

export const NAME_LENGTH = { min: 2, max: 100 };

export interface ProfileInput {
  name: string;
  email: string;
  phone?: string | null;
}

export interface Profile {
  name: string;
  email: string;
  phone: string | null;
}

/** The profile as it is stored, or what is wrong with each field. */
export function validateProfile(input: ProfileInput): { profile: Profile; problems: Problem[] } {
  const problems: Problem[] = [];
  const name = input.name.trim().replace(/\s+/g, " ");
  const email = normalizeEmail(input.email);
  const rawPhone = optionalText(input.phone);
  const phone = rawPhone === null ? null : parseChileanPhone(rawPhone);

  const nameLength = charCount(name);
  if (nameLength < NAME_LENGTH.min || nameLength > NAME_LENGTH.max)
    problems.push({
      field: "name",
      code: "INVALID_NAME",
      message: `name must be ${NAME_LENGTH.min} to ${NAME_LENGTH.max} characters (it has ${nameLength})`,
    });
  if (!isValidEmail(email))
    problems.push({ field: "email", code: "INVALID_EMAIL", message: "email must look like name@example.cl" });
  if (rawPhone !== null && phone === null)
    problems.push({
      field: "phone",
      code: "INVALID_PHONE",
      message: "phone must be a Chilean number: +56 followed by 9 digits, e.g. +56 9 1234 5678",
    });
  return { profile: { name, email, phone }, problems };
}
