import { describe, expect, it } from "vitest";
import { isHoneypotFilled, validateContactMessage } from "../src/contact-rules.js";

const valid = {
  name: "Josefa Muñoz",
  email: "josefa@example.cl",
  phone: "+56 9 1234 5678",
  subject: "Pedido para el viernes",
  message: "Hola, ¿pueden entregar un ramo en Ñuñoa el viernes?",
  consent: true,
};
const codes = (overrides: Partial<Omit<typeof valid, "phone">> & { phone?: string | null }) =>
  validateContactMessage({ ...valid, ...overrides }).errors.map((e) => `${e.field!.join(".")}:${e.code}`);

describe("validateContactMessage", () => {
  it("accepts a valid message, trimmed, with the phone normalized", () => {
    const { value, errors } = validateContactMessage({
      ...valid,
      name: "  Josefa Muñoz ",
      message: ` ${valid.message}\r\n`,
    });
    expect(errors).toEqual([]);
    expect(value).toEqual({ ...valid, phone: "+56912345678" });
  });

  it("bounds the name to 2–100, the subject to 3–150 and the message to 10–5000 characters", () => {
    expect(codes({ name: "Jo", subject: "Hey", message: "0123456789" })).toEqual([]);
    expect(codes({ name: "J", subject: "Ok", message: "muy corto" })).toEqual([
      "name:TOO_SHORT",
      "subject:TOO_SHORT",
      "message:TOO_SHORT",
    ]);
    expect(codes({ name: "n".repeat(101), subject: "s".repeat(151), message: "m".repeat(5001) })).toEqual([
      "name:TOO_LONG",
      "subject:TOO_LONG",
      "message:TOO_LONG",
    ]);
    expect(codes({ name: "  ", email: " " })).toEqual(["name:REQUIRED", "email:REQUIRED"]);
  });

  it("checks the email format", () => {
    for (const email of ["ana@flores.cl", "a.b+c@sub.example.com"]) expect(codes({ email })).toEqual([]);
    for (const email of ["ana", "ana@", "ana@cl", "ana @x.cl", "a@b@c.cl", "ana@-x.cl", `${"a".repeat(250)}@x.cl`])
      expect(codes({ email })).toEqual(["email:INVALID_EMAIL"]);
  });

  it("takes an optional Chilean phone: +56 and 9 digits", () => {
    for (const phone of [null, "", "  ", "+56912345678", "+56 2 2345 6789", "+56-9-1234-5678"])
      expect(codes({ phone })).toEqual([]);
    for (const phone of ["912345678", "+5691234567", "+569123456789", "+54 9 1234 5678", "+56 9 1234 567a"])
      expect(codes({ phone })).toEqual(["phone:INVALID_PHONE"]);
  });

  it("requires consent", () => {
    expect(validateContactMessage({ ...valid, consent: false }).errors).toEqual([
      { field: ["consent"], code: "CONSENT_REQUIRED", message: expect.any(String) },
    ]);
  });

  it("keeps line breaks out of name and subject, and control characters out of the message", () => {
    expect(
      codes({ name: "Ana\nBcc: x@y.cl", subject: "Hola\r\nBcc: x@y.cl", message: "Hola\u0000 que tal amigos" }),
    ).toEqual(["name:INVALID_CHARACTERS", "subject:INVALID_CHARACTERS", "message:INVALID_CHARACTERS"]);
    expect(codes({ message: "Línea uno\n\tLínea dos" })).toEqual([]);
  });
});

describe("isHoneypotFilled", () => {
  it("is filled by anything but blanks", () => {
    expect(isHoneypotFilled(undefined)).toBe(false);
    expect(isHoneypotFilled(null)).toBe(false);
    expect(isHoneypotFilled("   ")).toBe(false);
    expect(isHoneypotFilled("http://spam.example")).toBe(true);
  });
});
