import { describe, expect, it } from "vitest";
import { validateProfile } from "../src/profile.js";

const problemCodes = (input: Parameters<typeof validateProfile>[0]) =>
  validateProfile(input).problems.map((p) => `${p.field}:${p.code}`);

describe("validateProfile", () => {
  it("normalizes a valid profile as it will be stored", () => {
    expect(
      validateProfile({ name: "  María   José Soto ", email: " MJ.Soto@Example.cl", phone: "+56 9 8765 4321" }),
    ).toEqual({
      profile: { name: "María José Soto", email: "mj.soto@example.cl", phone: "+56987654321" },
      problems: [],
    });
  });

  it("treats a missing or blank phone as none", () => {
    expect(validateProfile({ name: "Ana", email: "ana@example.cl" }).profile.phone).toBeNull();
    expect(validateProfile({ name: "Ana", email: "ana@example.cl", phone: "   " }).problems).toEqual([]);
  });

  it("wants a name of 2 to 100 characters", () => {
    expect(problemCodes({ name: "A", email: "a@example.cl" })).toEqual(["name:INVALID_NAME"]);
    expect(problemCodes({ name: "   ", email: "a@example.cl" })).toEqual(["name:INVALID_NAME"]);
    expect(problemCodes({ name: "Ñu", email: "a@example.cl" })).toEqual([]);
    expect(problemCodes({ name: "é".repeat(100), email: "a@example.cl" })).toEqual([]);
    expect(problemCodes({ name: "é".repeat(101), email: "a@example.cl" })).toEqual(["name:INVALID_NAME"]);
  });

  it("reports every wrong field at once, with a message saying what is expected", () => {
    const { problems } = validateProfile({ name: "X", email: "no-email", phone: "12345" });
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual([
      "name:INVALID_NAME",
      "email:INVALID_EMAIL",
      "phone:INVALID_PHONE",
    ]);
    expect(problems[0]!.message).toContain("2 to 100 characters");
    expect(problems[2]!.message).toContain("+56");
  });
});
