import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, parseConfig, type ReadinessReport, type Service } from "@fv/platform";
import { CLOSED_PORT, createTestDatabase, listenForTest, testServiceEnv } from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildAuthService } from "../src/server.js";
import { newSigningJwk, startAuth } from "./helpers.js";

describe("health", () => {
  let ctx: Awaited<ReturnType<typeof startAuth>>;
  beforeAll(async () => {
    ctx = await startAuth();
  });
  afterAll(() => ctx?.stop());

  it("is ready when PostgreSQL and Redis answer", async () => {
    const res = await fetch(`${ctx.url}/health/ready`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as ReadinessReport).checks).toEqual({ postgres: { ok: true }, redis: { ok: true } });
  });
});

describe("health with Redis down", () => {
  let service: Service;
  let url: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const database = await createTestDatabase("auth_health");
    drop = database.drop;
    const config = parseConfig(configShape, {
      ...testServiceEnv(),
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${CLOSED_PORT}`,
      AUTH_SIGNING_KEYS: JSON.stringify([await newSigningJwk()]),
      LOG_LEVEL: "silent",
    });
    service = await buildAuthService(config, createLogger("auth", "silent"));
    url = await listenForTest(service);
  });
  afterAll(async () => {
    await service?.stop();
    await drop?.();
  });

  it("still starts: live, but not ready, naming Redis", async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as ReadinessReport;
    expect(body.checks.postgres).toEqual({ ok: true });
    expect(body.checks.redis?.ok).toBe(false);
  });

  it("still serves its public keys: verifying tokens elsewhere does not depend on its stores", async () => {
    const jwks = await fetch(`${url}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys).toHaveLength(1);
  });
});
