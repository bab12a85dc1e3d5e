import { describe, expect, it } from "vitest";
import {
  normalizePromotionCode,
  type Promotion,
  type PromotionContext,
  type PromotionInput,
  type PromotionResult,
  promotionDiscount,
  validatePromotionInput,
} from "../src/promotions/rules.js";

const now = new Date("2026-03-02T13:00:00Z");

const promo: Promotion = {
  code: "VERANO10",
  kind: "PERCENTAGE",
  value: 10,
  minSubtotal: null,
  startsAt: null,
  endsAt: null,
  usageLimit: null,
  timesUsed: 0,
  onePerCustomer: false,
  active: true,
};
const ctx: PromotionContext = { subtotal: 30_000, now, customerHasUsed: false, isGuest: false };

const apply = (p: Partial<Promotion>, c: Partial<PromotionContext> = {}): PromotionResult =>
  promotionDiscount({ ...promo, ...p }, { ...ctx, ...c });
const discount = (p: Partial<Promotion>, c: Partial<PromotionContext> = {}): number => {
  const result = apply(p, c);
  if (!result.ok) throw new Error(`refused: ${result.code}`);
  return result.discount;
};
const refusal = (p: Partial<Promotion>, c: Partial<PromotionContext> = {}) => {
  const result = apply(p, c);
  if (result.ok) throw new Error(`expected a refusal, got a discount of ${result.discount}`);
  return result;
};

describe("normalizePromotionCode", () => {
  it.each([
    ["verano10", "VERANO10"],
    ["  Verano10\t", "VERANO10"],
    ["mama-2026", "MAMA-2026"],
    ["san_valentin", "SAN_VALENTIN"],
    ["ABC", "ABC"],
    ["A".repeat(32), "A".repeat(32)],
  ])("%j → %s", (raw, code) => {
    expect(normalizePromotionCode(raw)).toBe(code);
  });

  it.each(["", "   ", "AB", "A".repeat(33), "VERANO 10", "DÍA-MAMÁ", "niño", "10%OFF", "CODE!", "a.b.c"])(
    "refuses %j",
    (raw) => {
      expect(normalizePromotionCode(raw)).toBeNull();
    },
  );
});

describe("promotionDiscount", () => {
  describe("amount", () => {
    it("takes a percentage of the merchandise subtotal", () => {
      expect(discount({ value: 10 })).toBe(3000);
      expect(discount({ value: 100 })).toBe(30_000);
      expect(discount({ value: 1 }, { subtotal: 12_345 })).toBe(123); // 123.45
    });

    it("rounds a percentage half up to whole pesos", () => {
      expect(discount({ value: 10 }, { subtotal: 12_345 })).toBe(1235); // 1,234.5
      expect(discount({ value: 15 }, { subtotal: 9_990 })).toBe(1499); // 1,498.5
      expect(discount({ value: 15 }, { subtotal: 9_989 })).toBe(1498); // 1,498.35
      expect(discount({ value: 33 }, { subtotal: 1 })).toBe(0); // 0.33
    });

    it("takes a fixed amount, never more than the merchandise subtotal", () => {
      expect(discount({ kind: "FIXED", value: 5000 })).toBe(5000);
      expect(discount({ kind: "FIXED", value: 5000 }, { subtotal: 5000 })).toBe(5000);
      expect(discount({ kind: "FIXED", value: 5000 }, { subtotal: 4999 })).toBe(4999);
      expect(discount({ kind: "FIXED", value: 5000 }, { subtotal: 0 })).toBe(0);
    });

    it("caps a stored percentage above 100 at the subtotal rather than paying the customer", () => {
      expect(discount({ value: 150 })).toBe(30_000);
    });

    it("throws on a subtotal the server could not have computed", () => {
      expect(() => apply({}, { subtotal: -1 })).toThrow(RangeError);
      expect(() => apply({}, { subtotal: 10.5 })).toThrow(RangeError);
    });
  });

  it("refuses an inactive promotion", () => {
    expect(refusal({ active: false }).code).toBe("PROMOTION_INACTIVE");
  });

  it("applies from its start instant inclusive", () => {
    expect(refusal({ startsAt: new Date(now.getTime() + 1) })).toMatchObject({
      code: "PROMOTION_NOT_STARTED",
      message: expect.stringContaining("VERANO10"),
    });
    expect(discount({ startsAt: now })).toBe(3000);
  });

  it("expires at its end instant exclusive", () => {
    expect(discount({ endsAt: new Date(now.getTime() + 1) })).toBe(3000);
    expect(refusal({ endsAt: now }).code).toBe("PROMOTION_EXPIRED");
  });

  it("stops at its usage limit", () => {
    expect(discount({ usageLimit: 100, timesUsed: 99 })).toBe(3000);
    expect(refusal({ usageLimit: 100, timesUsed: 100 }).code).toBe("PROMOTION_USAGE_LIMIT_REACHED");
    expect(refusal({ usageLimit: 1, timesUsed: 3 }).code).toBe("PROMOTION_USAGE_LIMIT_REACHED");
  });

  describe("once per customer", () => {
    it("asks a guest to sign in, since a guest's email proves nothing", () => {
      expect(refusal({ onePerCustomer: true }, { isGuest: true })).toMatchObject({
        code: "PROMOTION_REQUIRES_SIGN_IN",
        message: expect.stringContaining("sign in"),
      });
    });

    it("refuses a customer who already used it, and accepts one who did not", () => {
      expect(refusal({ onePerCustomer: true }, { customerHasUsed: true }).code).toBe("PROMOTION_ALREADY_USED");
      expect(discount({ onePerCustomer: true }, { customerHasUsed: false })).toBe(3000);
    });

    it("lets guests and repeat customers use a code that is not once per customer", () => {
      expect(discount({ onePerCustomer: false }, { isGuest: true, customerHasUsed: true })).toBe(3000);
    });
  });

  it("needs its minimum subtotal and says how much is missing", () => {
    expect(discount({ minSubtotal: 30_000 })).toBe(3000);
    expect(refusal({ minSubtotal: 30_000 }, { subtotal: 29_999 })).toEqual({
      ok: false,
      code: "PROMOTION_MINIMUM_NOT_MET",
      message: "The code VERANO10 needs a subtotal of at least CLP 30,000; add CLP 1 more.",
    });
    expect(refusal({ minSubtotal: 30_000 }, { subtotal: 12_500 }).message).toContain("add CLP 17,500 more");
  });

  it("reports what the customer cannot change before the minimum they can", () => {
    expect(refusal({ active: false, minSubtotal: 50_000 }).code).toBe("PROMOTION_INACTIVE");
    expect(refusal({ endsAt: now, usageLimit: 1, timesUsed: 1 }).code).toBe("PROMOTION_EXPIRED");
    expect(refusal({ onePerCustomer: true, minSubtotal: 50_000 }, { isGuest: true }).code).toBe(
      "PROMOTION_REQUIRES_SIGN_IN",
    );
  });
});

describe("validatePromotionInput", () => {
  const valid: PromotionInput = {
    code: "MAMA-2026",
    kind: "PERCENTAGE",
    value: 15,
    minSubtotal: 20_000,
    startsAt: new Date("2026-05-01T04:00:00Z"),
    endsAt: new Date("2026-05-11T04:00:00Z"),
    usageLimit: 500,
  };
  const errors = (overrides: Partial<PromotionInput>) =>
    validatePromotionInput({ ...valid, ...overrides }).map((e) => [e.field, e.code]);

  it("accepts a complete promotion, and one with only code, kind and value", () => {
    expect(validatePromotionInput(valid)).toEqual([]);
    expect(validatePromotionInput({ code: "ENVIO", kind: "FIXED", value: 3490 })).toEqual([]);
    expect(errors({ value: 100 })).toEqual([]);
    expect(errors({ minSubtotal: 0, usageLimit: 1 })).toEqual([]);
  });

  it.each<[string, Partial<PromotionInput>, string, string]>([
    ["a code with a space", { code: "MAMA 2026" }, "code", "INVALID_CODE"],
    ["a two-letter code", { code: "MA" }, "code", "INVALID_CODE"],
    ["an unknown kind", { kind: "BOGO" as never }, "kind", "INVALID_KIND"],
    ["a value of 0", { value: 0 }, "value", "NOT_POSITIVE"],
    ["a negative value", { value: -5 }, "value", "NOT_POSITIVE"],
    ["a fractional value", { value: 12.5 }, "value", "NOT_AN_INTEGER"],
    ["a percentage of 101", { value: 101 }, "value", "PERCENTAGE_ABOVE_100"],
    ["a fractional minimum", { minSubtotal: 999.9 }, "minSubtotal", "NOT_AN_INTEGER"],
    ["a negative minimum", { minSubtotal: -1 }, "minSubtotal", "NEGATIVE"],
    ["an end equal to the start", { endsAt: new Date("2026-05-01T04:00:00Z") }, "endsAt", "ENDS_BEFORE_START"],
    ["an end before the start", { endsAt: new Date("2026-04-30T04:00:00Z") }, "endsAt", "ENDS_BEFORE_START"],
    ["an invalid start", { startsAt: new Date("x") }, "startsAt", "INVALID_DATE"],
    ["an invalid end", { endsAt: new Date("x") }, "endsAt", "INVALID_DATE"],
    ["a usage limit of 0", { usageLimit: 0 }, "usageLimit", "USAGE_LIMIT_BELOW_1"],
    ["a fractional usage limit", { usageLimit: 1.5 }, "usageLimit", "NOT_AN_INTEGER"],
  ])("refuses %s", (_label, overrides, field, code) => {
    expect(errors(overrides)).toEqual([[field, code]]);
  });

  it("allows a fixed amount above 100 pesos", () => {
    expect(errors({ kind: "FIXED", value: 5000 })).toEqual([]);
  });

  it("reports every problem at once, each with a message", () => {
    const all = validatePromotionInput({
      code: "x",
      kind: "PERCENTAGE",
      value: 120,
      minSubtotal: -10,
      startsAt: new Date("2026-05-11T04:00:00Z"),
      endsAt: new Date("2026-05-01T04:00:00Z"),
      usageLimit: 0,
    });
    expect(all.map((e) => e.field)).toEqual(["code", "value", "minSubtotal", "endsAt", "usageLimit"]);
    for (const e of all) expect(e.message).toMatch(/\w{3,}.*\.$/);
  });

  it("accepts an open start or end", () => {
    expect(errors({ startsAt: null })).toEqual([]);
    expect(errors({ endsAt: null })).toEqual([]);
  });
});
