import { describe, expect, it } from "vitest";
import { emailLocalPart, isValidEmail, normalizeEmail } from "../src/email.js";

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
