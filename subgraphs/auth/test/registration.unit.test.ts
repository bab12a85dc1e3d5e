import { describe, expect, it } from "vitest";
import { validateRegistration } from "../src/registration.js";

const valid = {
  email: " Sofia.Mora@Example.CL ",
  password: "rosas-de-jardin",
  name: "  Sofía   Mora ",
  phone: "+56 9 1234-5678",
};
const codes = (input: Parameters<typeof validateRegistration>[0]) =>
  validateRegistration(input).errors.map((e) => `${e.field!.join(".")}:${e.code}`);

describe("validateRegistration", () => {
  it("normalizes the email, the name's spaces and the phone", () => {
    expect(validateRegistration(valid)).toEqual({
      registration: { email: "sofia.mora@example.cl", name: "Sofía Mora", phone: "+56912345678" },
      errors: [],
    });
  });

  it("takes an absent or blank phone as none", () => {
    expect(validateRegistration({ ...valid, phone: null }).registration.phone).toBeNull();
    expect(validateRegistration({ ...valid, phone: "   " }).registration.phone).toBeNull();
  });

  it("names every wrong field", () => {
    expect(codes({ email: "sofia", password: "corta", name: " S ", phone: "912345678" })).toEqual([
      "input.email:INVALID_EMAIL",
      "input.password:WEAK_PASSWORD",
      "input.name:INVALID_NAME",
      "input.phone:INVALID_PHONE",
    ]);
    expect(codes({ ...valid, name: "x".repeat(101) })).toEqual(["input.name:INVALID_NAME"]);
    expect(validateRegistration({ ...valid, name: "Al" }).errors).toEqual([]);
  });
});
