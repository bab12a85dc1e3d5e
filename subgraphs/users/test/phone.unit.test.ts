import { describe, expect, it } from "vitest";
import { parseChileanPhone } from "../src/phone.js";

describe("parseChileanPhone", () => {
  it("accepts +56 and 9 digits, stripping spaces", () => {
    expect(parseChileanPhone("+56912345678")).toBe("+56912345678");
    expect(parseChileanPhone("+56 9 1234 5678")).toBe("+56912345678");
    expect(parseChileanPhone(" +56 2 2345 6789 ")).toBe("+56223456789");
  });

  it("refuses anything else", () => {
    for (const phone of [
      "912345678",
      "56912345678",
      "+5691234567",
      "+569123456789",
      "+54 9 1234 5678",
      "+56-9-1234-5678",
      "+56 9 1234 567a",
      "",
    ])
      expect(parseChileanPhone(phone), phone).toBeNull();
  });
});
