import { describe, expect, it } from "vitest";
import { ConfigError, baseConfigShape, parseConfig, port, z } from "../src/index.js";

const shape = { ...baseConfigShape, PORT: port(4003), REDIS_URL: z.url() };
const credential = { SERVICE_CREDENTIAL: "x".repeat(32) };

describe("parseConfig", () => {
  it("applies defaults: HOST is 0.0.0.0 so probes reach the pod on any interface", () => {
    const config = parseConfig(shape, { ...credential, REDIS_URL: "redis://127.0.0.1:6379" });
    expect(config.HOST).toBe("0.0.0.0");
    expect(config.PORT).toBe(4003);
  });

  it("names a missing required variable", () => {
    expect(() => parseConfig(shape, { ...credential })).toThrow(
      new ConfigError("REDIS_URL", "is required but not set"),
    );
    expect(() => parseConfig(shape, { REDIS_URL: "redis://x" })).toThrow(/SERVICE_CREDENTIAL is required/);
  });

  it("treats an empty value as missing", () => {
    expect(() => parseConfig(shape, { ...credential, REDIS_URL: "" })).toThrow(/REDIS_URL is required/);
  });

  it("refuses a service credential too short to be a secret", () => {
    expect(() => parseConfig(shape, { SERVICE_CREDENTIAL: "short", REDIS_URL: "redis://x" })).toThrow(
      /SERVICE_CREDENTIAL is invalid: must be at least 32 characters/,
    );
  });

  it("names a wrong variable and says why", () => {
    expect(() => parseConfig(shape, { ...credential, REDIS_URL: "redis://x", PORT: "70000" })).toThrow(
      /^invalid configuration: PORT is invalid/,
    );
  });
});
