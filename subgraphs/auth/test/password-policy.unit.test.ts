import { describe, expect, it } from "vitest";
import { describePasswordProblems, passwordProblems } from "../src/password-policy.js";

const email = "valentina@example.cl";

describe("passwordProblems", () => {
  it("accepts a long enough, varied password unrelated to the email", () => {
    expect(passwordProblems("girasoles-de-marzo", email)).toEqual([]);
    expect(passwordProblems("a".repeat(9) + "b", email)).toEqual([]);
    expect(passwordProblems("x".repeat(127) + "y", email)).toEqual([]);
  });

  it("asks for at least 10 characters, counting characters rather than UTF-16 units", () => {
    expect(passwordProblems("corto123", email)).toEqual(["at least 10 characters (it has 8)"]);
    expect(passwordProblems("🌹🌷🌻🌼🌸🌺💐🥀🌹", email)).toEqual(["at least 10 characters (it has 9)"]);
    expect(passwordProblems("ñandúñandú", email)).toEqual([]);
  });

  it("refuses more than 128 characters", () => {
    expect(passwordProblems("ab".repeat(64) + "c", email)).toEqual(["at most 128 characters"]);
  });

  it("refuses one repeated character", () => {
    expect(passwordProblems("aaaaaaaaaaaa", email)).toEqual(["more than one repeated character"]);
    expect(passwordProblems("1111", email)).toEqual([
      "at least 10 characters (it has 4)",
      "more than one repeated character",
    ]);
  });

  it("refuses a password containing the email's local part, whatever its case", () => {
    expect(passwordProblems("Valentina2026!", email)).toEqual(["no part of your email address before the @"]);
    expect(passwordProblems("mi-VALENTINA-flor", "  Valentina@Example.cl ")).toEqual([
      "no part of your email address before the @",
    ]);
  });

  it("ignores a local part too short to guess from", () => {
    expect(passwordProblems("jazmines-al-sol", "jo@example.cl")).toEqual([]);
  });

  it("describes every problem in one message", () => {
    expect(describePasswordProblems(["at least 10 characters (it has 4)", "more than one repeated character"])).toBe(
      "password needs at least 10 characters (it has 4); more than one repeated character",
    );
  });
});
