import { describe, expect, it } from "vitest";
import { normalizeName, profileFromRegistration, validateProfileUpdate } from "../src/profile.js";

const problemCodes = (input: Parameters<typeof validateProfileUpdate>[0]) =>
  validateProfileUpdate(input).problems.map((p) => `${p.field}:${p.code}`);

describe("validateProfileUpdate", () => {
  it("normalizes what is changed, and only that", () => {
    expect(validateProfileUpdate({ name: "  María   José Soto ", phone: "+56 9 8765 4321" })).toEqual({
      changes: { name: "María José Soto", phone: "+56987654321" },
      problems: [],
    });
    expect(validateProfileUpdate({ name: "Ana Díaz" }).changes).toEqual({ name: "Ana Díaz" });
    expect(validateProfileUpdate({}).changes).toEqual({});
  });

  it("leaves the name as it is when null, and removes the phone when null or blank", () => {
    expect(validateProfileUpdate({ name: null }).changes).toEqual({});
    expect(validateProfileUpdate({ phone: null }).changes).toEqual({ phone: null });
    expect(validateProfileUpdate({ phone: "   " }).changes).toEqual({ phone: null });
  });

  it("wants a name of 2 to 100 characters, counted as a person counts them", () => {
    expect(problemCodes({ name: "A" })).toEqual(["name:INVALID_NAME"]);
    expect(problemCodes({ name: "   " })).toEqual(["name:INVALID_NAME"]);
    expect(problemCodes({ name: "Ñu" })).toEqual([]);
    expect(problemCodes({ name: "é".repeat(100) })).toEqual([]);
    expect(problemCodes({ name: "e\u0301".repeat(100) })).toEqual([]);
    expect(problemCodes({ name: "é".repeat(101) })).toEqual(["name:INVALID_NAME"]);
  });

  it("reports every wrong field at once and changes nothing", () => {
    const { changes, problems } = validateProfileUpdate({ name: "X", phone: "12345" });
    expect(changes).toEqual({});
    expect(problems.map((p) => `${p.field}:${p.code}`)).toEqual(["name:INVALID_NAME", "phone:INVALID_PHONE"]);
    expect(problems[0]!.message).toContain("2 to 100 characters");
    expect(problems[1]!.message).toContain("+56");
  });
});

describe("normalizeName", () => {
  it("composes accents (one code point per letter, as search expects), trims and single-spaces", () => {
    const name = normalizeName(" Mari\u0301a   Ordo\u0301n\u0303ez ");
    expect(name).toBe("María Ordóñez");
    expect([...name]).toHaveLength(13);
  });
});

describe("profileFromRegistration", () => {
  const account = { userId: "9f0c5a4e-2f7b-4d0a-9a53-0c6f6b2f6d11", email: " Ana.Diaz@Example.CL " };

  it("keeps the account's id, lower-cases the email and normalizes the name and phone", () => {
    expect(profileFromRegistration({ ...account, name: " Ana   Díaz ", phone: "+56 9 1111 2222" })).toEqual({
      id: account.userId,
      email: "ana.diaz@example.cl",
      name: "Ana Díaz",
      phone: "+56911112222",
    });
  });

  it("names a person after their email when the account has no usable name", () => {
    expect(profileFromRegistration({ ...account, name: null }).name).toBe("ana.diaz");
    expect(profileFromRegistration({ ...account, name: " X " }).name).toBe("ana.diaz");
  });

  it("stores what it can rather than refusing: a long name is cut, a foreign phone left out", () => {
    const profile = profileFromRegistration({ ...account, name: "a".repeat(150), phone: "+1 555 0100" });
    expect([...profile.name]).toHaveLength(100);
    expect(profile.phone).toBeNull();
  });
});
