import { describe, expect, it } from "vitest";
import { emailLocalPart, isValidEmail, normalizeEmail, parseChileanPhone } from "../src/contact-details.js";

describe("email", () => {
  it("normalizes by trimming and lower-casing", () => {
    expect(normalizeEmail("  Ana.Perez@Example.CL ")).toBe("ana.perez@example.cl");
  });

  it("accepts ordinary addresses", () => {
    for (const email of ["ana@example.cl", "ana.perez+flores@mail.example.com", "x_1@sub.domain.org"])
      expect(isValidEmail(email), email).toBe(true);
  });

  it("rejects what cannot be an address", () => {
    for (const email of [
      "",
      "ana",
      "ana@",
      "@example.cl",
      "ana@example",
      "ana perez@example.cl",
      "a@b@c.cl",
      "ana@.cl",
    ])
      expect(isValidEmail(email), email).toBe(false);
    expect(isValidEmail(`${"a".repeat(250)}@example.cl`)).toBe(false);
  });

  it("takes the local part before the last @", () => {
    expect(emailLocalPart("ana.perez@example.cl")).toBe("ana.perez");
    expect(emailLocalPart("no-at-sign")).toBe("no-at-sign");
  });
});

describe("parseChileanPhone", () => {
  it("accepts +56 and 9 digits, stripping spaces and hyphens", () => {
    expect(parseChileanPhone("+56 9 1234-5678")).toBe("+56912345678");
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

      "+56 9 1234 567a",
      "",
    ])
      expect(parseChileanPhone(phone), phone).toBeNull();
  });
});
