import { describe, expect, it } from "vitest";
import { CLOSED_PORT, listenForTest, testServiceEnv } from "@fv/platform/testing";
import { createLogger, parseConfig } from "@fv/platform";
import { configShape } from "../src/config.js";
import { buildUsersService } from "../src/server.js";

describe("users service with its stores down", () => {
  it("starts without waiting for them, is live but not ready, naming both, and stops", async () => {
    const config = parseConfig(configShape, {
      ...testServiceEnv(),
      DATABASE_URL: `postgres://postgres@127.0.0.1:${CLOSED_PORT}/closed`,
      REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}`,
      LOG_LEVEL: "silent",
    });
    const service = await buildUsersService(config, createLogger("users", "silent"));
    const url = await listenForTest(service);
    try {
      expect((await fetch(`${url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${url}/health/ready`);
      expect(ready.status).toBe(503);
      const body = (await ready.json()) as { checks: Record<string, { ok: boolean }> };
      expect(body.checks.postgres?.ok).toBe(false);
      expect(body.checks.redis?.ok).toBe(false);
    } finally {
      // The event consumer and the outbox relay are retrying; stopping must still end them.
      await service.stop();
    }
  });

  it("refuses to start without REDIS_URL, naming it", () => {
    expect(() => parseConfig(configShape, { ...testServiceEnv() })).toThrow(/REDIS_URL is required/);
  });
});
