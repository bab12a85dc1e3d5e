import { describe, expect, it } from "vitest";
import { addToLine, MAX_LINE_QUANTITY, mergedQuantity, setLine, totalQuantity } from "../src/cart-rules.js";

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

describe("setLine", () => {
  it("accepts 1 to 99", () => {
    expect(setLine(1)).toEqual({ ok: true, quantity: 1 });
    expect(setLine(99)).toEqual({ ok: true, quantity: 99 });
  });

  it.each([0, -1, 2.5, Number.NaN])("refuses %s as INVALID_QUANTITY, pointing at removeFromCart", (quantity) => {
    const result = setLine(quantity);
    expect(result).toMatchObject({ ok: false, problem: { code: "INVALID_QUANTITY" } });
    if (!result.ok) expect(result.problem.message).toContain("removeFromCart");
  });

  it("refuses more than 99 as QUANTITY_LIMIT", () => {
    expect(setLine(100)).toMatchObject({ ok: false, problem: { code: "QUANTITY_LIMIT" } });
  });
});

describe("mergedQuantity", () => {
  it("sums, and keeps a sum past 99 at 99, saying so", () => {
    expect(mergedQuantity(0, 3)).toEqual({ quantity: 3, capped: false });
    expect(mergedQuantity(40, 59)).toEqual({ quantity: 99, capped: false });
    expect(mergedQuantity(40, 60)).toEqual({ quantity: 99, capped: true });
    expect(mergedQuantity(99, 99)).toEqual({ quantity: 99, capped: true });
  });
});
