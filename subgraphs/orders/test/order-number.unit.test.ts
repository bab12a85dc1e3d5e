import { describe, expect, it } from "vitest";
import { ORDER_NUMBER_ALPHABET, ORDER_NUMBER_PATTERN, orderNumber, shopCalendarDate } from "../src/order-number.js";

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe("orderNumber", () => {
  it("is FV-, the shop's date and five characters of the alphabet", () => {
    expect(orderNumber(new Date("2026-11-29T15:00:00Z"), sequence(0, 1, 8, 31, 9))).toBe("FV-20261129-23AZB");
  });

  it("dates an evening order in Santiago on the Santiago day, though UTC is already past midnight", () => {
    // 02:30 UTC on 1 March is 23:30 on 28 February in Santiago (UTC-3 in summer).
    expect(shopCalendarDate(new Date("2026-03-01T02:30:00Z"))).toBe("20260228");
    // In winter Santiago is UTC-4: 03:59 UTC on 15 July is still 14 July there, 04:00 UTC is the 15th.
    expect(shopCalendarDate(new Date("2026-07-15T03:59:59Z"))).toBe("20260714");
    expect(shopCalendarDate(new Date("2026-07-15T04:00:00Z"))).toBe("20260715");
  });

  it("never uses the ambiguous 0, O, 1 or I", () => {
    expect(ORDER_NUMBER_ALPHABET).toHaveLength(32);
    expect(ORDER_NUMBER_ALPHABET).not.toMatch(/[01OI]/);
    expect(new Set(ORDER_NUMBER_ALPHABET).size).toBe(32);
  });

  it("draws from a random source by default, always matching the pattern", () => {
    const numbers = Array.from({ length: 200 }, () => orderNumber(new Date("2026-05-10T12:00:00Z")));
    for (const n of numbers) expect(n).toMatch(ORDER_NUMBER_PATTERN);
    expect(new Set(numbers).size).toBeGreaterThan(190);
  });

  it("refuses a random source out of range rather than printing 'undefined'", () => {
    expect(() => orderNumber(new Date(), () => 32)).toThrow(RangeError);
  });
});
