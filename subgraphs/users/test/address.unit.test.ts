import { describe, expect, it } from "vitest";
import { validateAddress } from "../src/address.js";

describe("validateAddress", () => {
  it("stores the canonical commune and trimmed text, blank optional fields as null", () => {
    expect(
      validateAddress({ label: "  ", street: "  Av. Irarrázaval   3456 ", commune: "nunoa", notes: " depto 42 " }),
    ).toEqual({
      address: { label: null, street: "Av. Irarrázaval 3456", commune: "Ñuñoa", notes: "depto 42" },
      problems: [],
    });
  });

  it("refuses a commune the shop does not deliver to, echoing what was typed", () => {
    const { address, problems } = validateAddress({ street: "Av. Pajaritos 1234", commune: "Maipú" });
    expect(address).toBeNull();
    expect(problems).toEqual([{ field: "commune", code: "UNKNOWN_COMMUNE", message: 'we do not deliver to "Maipú"' }]);
  });

  it("bounds the echo of a long commune", () => {
    const { problems } = validateAddress({ street: "Calle 1", commune: "x".repeat(500) });
    expect(problems[0]!.message.length).toBeLessThan(100);
  });

  it("wants a street and bounded lengths", () => {
    const { problems } = validateAddress({
      label: "l".repeat(41),
      street: "   ",
      commune: "Recoleta",
      notes: "n".repeat(501),
    });
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      "label:TOO_LONG",
      "street:REQUIRED",
      "notes:TOO_LONG",
    ]);
  });
});
