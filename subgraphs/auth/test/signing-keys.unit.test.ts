import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { parseSigningKeys, publicKeySet } from "../src/signing-keys.js";

const privateJwk = (kid: string) => ({ ...generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }), kid });
const parse = (value: unknown) => parseSigningKeys(JSON.stringify(value));

describe("parseSigningKeys", () => {
  it("reads private Ed25519 JWKs in order, keeping only public parts for the JWKS", () => {
    const [a, b] = [privateJwk("a"), privateJwk("b")];
    const keys = parse([a, b]);
    expect(keys.map((k) => k.kid)).toEqual(["a", "b"]);
    expect(keys[0]!.privateKey.asymmetricKeyType).toBe("ed25519");
    expect(publicKeySet(keys)).toEqual({
      keys: [
        { kty: "OKP", crv: "Ed25519", x: a.x, kid: "a", alg: "EdDSA", use: "sig" },
        { kty: "OKP", crv: "Ed25519", x: b.x, kid: "b", alg: "EdDSA", use: "sig" },
      ],
    });
  });

  it("says what is wrong with the value as a whole", () => {
    expect(() => parseSigningKeys("{oops")).toThrow(/not JSON/);
    expect(() => parse(privateJwk("a"))).toThrow(/must be a JSON array/);
    expect(() => parse([])).toThrow("must hold at least one key");
    expect(() => parse(["x"])).toThrow("key 1 is not a JWK object");
  });

  it("says which key is wrong and why", () => {
    const good = privateJwk("good");
    expect(() => parse([good, { ...privateJwk("x"), kid: undefined }])).toThrow('key 2 has no "kid"');
    expect(() => parse([good, privateJwk("good")])).toThrow('key 2 repeats the kid "good"');
    expect(() => parse([{ ...good, crv: "P-256" }])).toThrow('key 1 (kid "good") is not an Ed25519 key');
    expect(() => parse([{ ...good, d: undefined }])).toThrow('the private part "d" is missing');
    expect(() => parse([{ ...good, x: undefined }])).toThrow('lacks its public part "x"');
    expect(() => parse([{ ...good, d: "short" }])).toThrow("is not a valid Ed25519 private key");
    expect(() => parse([{ ...good, x: privateJwk("other").x }])).toThrow('"x" that does not match');
  });
});
