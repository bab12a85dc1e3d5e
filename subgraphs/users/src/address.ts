import { canonicalCommune, type Commune } from "./communes.js";
import { charCount, optionalText, type Problem } from "./problem.js";

/** Addresses a person may keep (DOMAIN.md). */
export const MAX_ADDRESSES_PER_USER = 5;

const MAX_LENGTH = { label: 40, street: 200, notes: 500 } as const;
// Echoing the input back helps a person spot a typo; a bounded echo keeps the message readable.
const MAX_ECHO = 60;

export interface AddressInput {
  label?: string | null;
  street: string;
  commune: string;
  notes?: string | null;
}

export interface ValidAddress {
  label: string | null;
  street: string;
  commune: Commune;
  notes: string | null;
}

export function validateAddress(
  input: AddressInput,
): { address: ValidAddress; problems: [] } | { address: null; problems: Problem[] } {
  const problems: Problem[] = [];
  const label = optionalText(input.label);
  const street = input.street.trim().replace(/\s+/g, " ");
  const notes = optionalText(input.notes);
  const commune = canonicalCommune(input.commune);

  const tooLong = (field: keyof typeof MAX_LENGTH, value: string | null) => {
    if (value !== null && charCount(value) > MAX_LENGTH[field])
      problems.push({ field, code: "TOO_LONG", message: `${field} must be at most ${MAX_LENGTH[field]} characters` });
  };
  tooLong("label", label);
  if (!street) problems.push({ field: "street", code: "REQUIRED", message: "street must not be empty" });
  tooLong("street", street);
  tooLong("notes", notes);
  if (commune === null) {
    const typed = [...input.commune.trim()].slice(0, MAX_ECHO).join("");
    problems.push({ field: "commune", code: "UNKNOWN_COMMUNE", message: `we do not deliver to "${typed}"` });
  }
  if (problems.length || commune === null) return { address: null, problems };
  return { address: { label, street, commune, notes }, problems: [] };
}
