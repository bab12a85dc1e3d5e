import { emailLocalPart } from "@fv/platform";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;
// A one- or two-letter name part ("a@x.cl") would forbid half the alphabet; such names guess nothing.
const MIN_LOCAL_PART_CHECKED = 3;

/**
 * What a password lacks, in words a person can act on; empty when it is acceptable.
 * Lengths count characters (code points), not UTF-16 units, so "ñ" and an emoji count as one.
 */
export function passwordProblems(password: string, email: string): string[] {
  const chars = [...password];
  const problems: string[] = [];
  if (chars.length < MIN_PASSWORD_LENGTH)
    problems.push(`at least ${MIN_PASSWORD_LENGTH} characters (it has ${chars.length})`);
  if (chars.length > MAX_PASSWORD_LENGTH) problems.push(`at most ${MAX_PASSWORD_LENGTH} characters`);
  if (chars.length > 0 && chars.every((c) => c === chars[0])) problems.push("more than one repeated character");
  const localPart = emailLocalPart(email.trim()).toLowerCase();
  if ([...localPart].length >= MIN_LOCAL_PART_CHECKED && password.toLowerCase().includes(localPart))
    problems.push("no part of your email address before the @");
  return problems;
}

/** One sentence naming everything missing, for the WEAK_PASSWORD error. */
export const describePasswordProblems = (problems: string[]) => `password needs ${problems.join("; ")}`;
