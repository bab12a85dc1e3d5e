import { describe, expect, it } from "vitest";
import { discountPercent } from "../src/pricing.js";

describe("discountPercent", () => {
  it("derives the percentage from the compare-at price, rounded down", () => {
    expect(discountPercent(29_990, 34_990)).toBe(14);
    expect(discountPercent(5_000, 10_000)).toBe(50);
  });

  it("is null without a real discount", () => {
    expect(discountPercent(29_990, null)).toBeNull();
    expect(discountPercent(29_990, 29_990)).toBeNull();
    expect(discountPercent(29_990, 19_990)).toBeNull();
  });
});
