import { randomInt } from "node:crypto";

/** No 0/O or 1/I: a number read aloud over the phone or copied by hand stays unambiguous. */
export const ORDER_NUMBER_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const ORDER_NUMBER_PATTERN = /^FV-\d{8}-[23456789ABCDEFGHJKLMNPQRSTUVWXYZ]{5}$/;

// The number carries the shop's calendar day, not UTC's: an order placed at 22:00 in Santiago
// belongs to that evening even though it is already the next day in UTC.
const shopDate = new Intl.DateTimeFormat("en-US", {
  timeZone: "America/Santiago",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

export function shopCalendarDate(date: Date): string {
  const parts = Object.fromEntries(shopDate.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}${parts.month}${parts.day}`;
}

/**
 * `FV-YYYYMMDD-XXXXX`. `random(n)` returns an integer in [0, n); a cryptographic source by default
 * so that numbers cannot be guessed from one another.
 */
export function orderNumber(date: Date, random: (n: number) => number = randomInt): string {
  let suffix = "";
  for (let i = 0; i < 5; i++) {
    const char = ORDER_NUMBER_ALPHABET[random(ORDER_NUMBER_ALPHABET.length)];
    if (char === undefined) throw new RangeError("random(n) must return an integer in [0, n)");
    suffix += char;
  }
  return `FV-${shopCalendarDate(date)}-${suffix}`;
}
