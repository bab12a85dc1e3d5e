import { isValidEmail, normalizeEmail, parseChileanPhone, userError, type UserError } from "@fv/platform";
import { describePasswordProblems, passwordProblems } from "./password-policy.js";

// The users subgraph stores the name and phone from auth.user_registered under the same rules:
// checking them here keeps a registration from being accepted and its profile refused.
export const NAME_LENGTH = { min: 2, max: 100 };

export interface RegistrationInput {
  email: string;
  password: string;
  name: string;
  phone?: string | null;
}

export interface Registration {
  email: string;
  name: string;
  phone: string | null;
}

const charCount = (text: string) => [...text].length;

/** The registration as it is stored and announced, or a UserError per wrong field. */
export function validateRegistration(input: RegistrationInput): { registration: Registration; errors: UserError[] } {
  const email = normalizeEmail(input.email);
  const name = input.name.trim().replace(/\s+/g, " ");
  const rawPhone = input.phone?.trim() ? input.phone.trim() : null;
  const phone = rawPhone === null ? null : parseChileanPhone(rawPhone);
  const errors: UserError[] = [];
  if (!isValidEmail(email))
    errors.push(userError(["input", "email"], "INVALID_EMAIL", "email must look like name@example.cl"));
  const problems = passwordProblems(input.password, email);
  if (problems.length)
    errors.push(userError(["input", "password"], "WEAK_PASSWORD", describePasswordProblems(problems)));
  const nameLength = charCount(name);
  if (nameLength < NAME_LENGTH.min || nameLength > NAME_LENGTH.max)
    errors.push(
      userError(
        ["input", "name"],
        "INVALID_NAME",
        `name must be ${NAME_LENGTH.min} to ${NAME_LENGTH.max} characters (it has ${nameLength})`,
      ),
    );
  if (rawPhone !== null && phone === null)
    errors.push(
      userError(
        ["input", "phone"],
        "INVALID_PHONE",
        "phone must be a Chilean number: +56 followed by 9 digits, e.g. +56 9 1234 5678",
      ),
    );
  return { registration: { email, name, phone }, errors };
}
