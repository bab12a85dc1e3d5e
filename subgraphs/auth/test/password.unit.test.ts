import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword, verifyPasswordOfAccount } from "../src/password.js";

describe("password hashing", () => {
  it("stores scrypt parameters, a 16-byte salt and the hash in one self-describing string", async () => {
    const stored = await hashPassword("orquideas-blancas");
    const [scheme, n, r, p, salt, hash] = stored.split("$");
    expect([scheme, n, r, p]).toEqual(["scrypt", "32768", "8", "1"]);
    expect(Buffer.from(salt!, "base64url")).toHaveLength(16);
    expect(Buffer.from(hash!, "base64url")).toHaveLength(32);
    expect(stored).not.toContain("orquideas");
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("orquideas-blancas");
    await expect(verifyPassword("orquideas-blancas", stored)).resolves.toBe(true);
    await expect(verifyPassword("orquideas-blanca", stored)).resolves.toBe(false);
    await expect(verifyPassword("Orquideas-blancas", stored)).resolves.toBe(false);
  });

  it("salts every hash: the same password hashes differently twice", async () => {
    const [a, b] = await Promise.all([hashPassword("lirios-rosados"), hashPassword("lirios-rosados")]);
    expect(a).not.toBe(b);
    await expect(verifyPassword("lirios-rosados", b)).resolves.toBe(true);
  });

  it("treats composed and decomposed accents as the same password", async () => {
    const stored = await hashPassword("peonía-rosada");
    await expect(verifyPassword("peoni\u0301a-rosada", stored)).resolves.toBe(true);
  });

  it("refuses a tampered hash", async () => {
    const stored = await hashPassword("claveles-rojos");
    const parts = stored.split("$");
    const hash = Buffer.from(parts[5]!, "base64url");
    hash[0] = hash[0]! ^ 1;
    parts[5] = hash.toString("base64url");
    await expect(verifyPassword("claveles-rojos", parts.join("$"))).resolves.toBe(false);
  });

  it("verifies a hash made with older parameters and says it needs a rehash", async () => {
    const salt = randomBytes(16);
    const key = scryptSync("tulipanes-amarillos", salt, 32, { N: 2 ** 14, r: 8, p: 1 });
    const older = `scrypt$16384$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
    await expect(verifyPassword("tulipanes-amarillos", older)).resolves.toBe(true);
    await expect(verifyPassword("tulipanes-rojos", older)).resolves.toBe(false);
    expect(needsRehash(older)).toBe(true);
    expect(needsRehash(await hashPassword("tulipanes-amarillos"))).toBe(false);
  });

  it("throws on a stored value that is not a scrypt hash, and on absurd parameters", async () => {
    await expect(verifyPassword("x", "plaintext")).rejects.toThrow(/format/);
    await expect(
      verifyPassword("x", "scrypt$1073741824$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"),
    ).rejects.toThrow(/format/);
  });
});

describe("verifyPasswordOfAccount", () => {
  it("checks an account's hash, and answers false, after the same work, when there is no account", async () => {
    const stored = await hashPassword("violetas-africanas");
    await expect(verifyPasswordOfAccount("violetas-africanas", stored)).resolves.toBe(true);
    await expect(verifyPasswordOfAccount("violetas-otras", stored)).resolves.toBe(false);
    await expect(verifyPasswordOfAccount("violetas-africanas", undefined)).resolves.toBe(false);
    await expect(verifyPasswordOfAccount("", undefined)).resolves.toBe(false);
  });
});
