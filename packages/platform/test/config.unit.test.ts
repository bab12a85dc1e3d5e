import { describe, expect, it } from "vitest";
import { ConfigError, baseConfigShape, parseConfig, port, z } from "../src/index.js";

const shape = { ...baseConfigShape, PORT: port(4003), REDIS_URL: z.url() };

describe("parseConfig", () => {
  it("applies defaults: HOST is 0.0.0.0 so probes reach the pod on any interface", () => {
    const config = parseConfig(shape, { REDIS_URL: "redis://127.0.0.1:6379" });
    expect(config.HOST).toBe("0.0.0.0");
    expect(config.PORT).toBe(4003);
  });

  it("names a missing required variable", () => {
    expect(() => parseConfig(shape, {})).toThrow(new ConfigError("REDIS_URL", "is required but not set"));
  });

  it("treats an empty value as missing", () => {
    expect(() => parseConfig(shape, { REDIS_URL: "" })).toThrow(/REDIS_URL is required/);
  });

  it("names a wrong variable and says why", () => {
    expect(() => parseConfig(shape, { REDIS_URL: "redis://x", PORT: "70000" })).toThrow(
      /^invalid configuration: PORT is invalid/,
    );
  });
});
