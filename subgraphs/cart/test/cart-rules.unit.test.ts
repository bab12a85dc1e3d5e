import { describe, expect, it } from "vitest";
import { addToLine, MAX_LINE_QUANTITY, totalQuantity } from "../src/cart-rules.js";

describe("addToLine", () => {
  it("adds to an empty or existing line up to 99", () => {
    expect(addToLine(0, 1)).toEqual({ ok: true, quantity: 1 });
    expect(addToLine(3, 2)).toEqual({ ok: true, quantity: 5 });
    expect(addToLine(0, 99)).toEqual({ ok: true, quantity: 99 });
    expect(addToLine(94, 5)).toEqual({ ok: true, quantity: 99 });
    expect(MAX_LINE_QUANTITY).toBe(99);
  });

  it("refuses to go past 99 instead of clamping, saying how many more fit", () => {
    const result = addToLine(96, 5);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problem.code).toBe("QUANTITY_LIMIT");
    expect(result.problem.message).toContain("at most 3 more");
    expect(addToLine(0, 100)).toMatchObject({ ok: false, problem: { code: "QUANTITY_LIMIT" } });
    expect(addToLine(99, 1)).toMatchObject({ ok: false, problem: { code: "QUANTITY_LIMIT" } });
  });

  it.each([0, -1, 1.5, Number.NaN])("refuses %s units as INVALID_QUANTITY", (quantity) => {
    expect(addToLine(10, quantity)).toMatchObject({ ok: false, problem: { code: "INVALID_QUANTITY" } });
  });
});

describe("totalQuantity", () => {
  it("sums the lines", () => {
    expect(totalQuantity([])).toBe(0);
    expect(totalQuantity([{ quantity: 2 }, { quantity: 97 }])).toBe(99);
  });
});
