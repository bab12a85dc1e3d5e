// +56, then 9 digits (mobile 9XXXXXXXX or a landline with its area code): the national numbering plan.
const CHILEAN_PHONE = /^\+56\d{9}$/;

/** "+56 9 1234 5678" → "+56912345678"; null when it is not a Chilean number in that form. */
export function parseChileanPhone(input: string): string | null {
  const compact = input.replace(/ /g, "");
  return CHILEAN_PHONE.test(compact) ? compact : null;
}
