import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { parseConfig } from "@fv/platform";
import { configShape } from "../src/config.js";

const privateJwk = (kid = "key-1") => ({
  ...generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" }),
  kid,
});
const env = (extra: Record<string, string> = {}) => ({
  SERVICE_CREDENTIAL: "c".repeat(40),
  REDIS_URL: "redis://127.0.0.1:6379",
  AUTH_SIGNING_KEYS: JSON.stringify([privateJwk()]),
  ...extra,
});

describe("auth config", () => {
  it("requires REDIS_URL, then AUTH_SIGNING_KEYS, naming each", () => {
    expect(() => parseConfig(configShape, { SERVICE_CREDENTIAL: "c".repeat(40) })).toThrow(
      "invalid configuration: REDIS_URL is required but not set",
    );
    expect(() => parseConfig(configShape, { ...env(), AUTH_SIGNING_KEYS: undefined })).toThrow(
      "invalid configuration: AUTH_SIGNING_KEYS is required but not set",
    );
  });

  it("reads the signing keys, the refresh token lifetime and the app URL, with defaults", () => {
    const config = parseConfig(configShape, env());
    expect(config.AUTH_SIGNING_KEYS.map((k) => k.kid)).toEqual(["key-1"]);
    expect(config.REFRESH_TOKEN_TTL_DAYS).toBe(30);
    expect(config.PUBLIC_APP_URL).toBe("http://localhost:3000");
    expect(config.EVENTS_PREFIX).toBe("fv:");
    const custom = parseConfig(
      configShape,
      env({ REFRESH_TOKEN_TTL_DAYS: "7", PUBLIC_APP_URL: "https://floresvictoria.cl" }),
    );
    expect([custom.REFRESH_TOKEN_TTL_DAYS, custom.PUBLIC_APP_URL]).toEqual([7, "https://floresvictoria.cl"]);
  });

  it("refuses unusable signing keys with a message naming the variable, never the key", () => {
    const publicOnly = { ...privateJwk(), d: undefined };
    expect(() => parseConfig(configShape, env({ AUTH_SIGNING_KEYS: "not json" }))).toThrow(
      /^invalid configuration: AUTH_SIGNING_KEYS is invalid: must be a JSON array of private Ed25519 JWKs/,
    );
    expect(() => parseConfig(configShape, env({ AUTH_SIGNING_KEYS: JSON.stringify([publicOnly]) }))).toThrow(
      'invalid configuration: AUTH_SIGNING_KEYS is invalid: key 1 (kid "key-1") is a public key: the private part "d" is missing',
    );
    const key = privateJwk();
    const broken = { ...key, d: `${key.d!.slice(0, 10)}!!` };
    let message = "";
    try {
      parseConfig(configShape, env({ AUTH_SIGNING_KEYS: JSON.stringify([broken]) }));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'invalid configuration: AUTH_SIGNING_KEYS is invalid: key 1 (kid "key-1") is not a valid Ed25519 private key',
    );
    expect(message).not.toContain(key.d!.slice(0, 10));
  });

  it("refuses a refresh token lifetime out of range and an app URL that is not http(s)", () => {
    expect(() => parseConfig(configShape, env({ REFRESH_TOKEN_TTL_DAYS: "0" }))).toThrow(
      /REFRESH_TOKEN_TTL_DAYS is invalid/,
    );
    expect(() => parseConfig(configShape, env({ PUBLIC_APP_URL: "ftp://x.cl" }))).toThrow(/PUBLIC_APP_URL is invalid/);
  });
});
