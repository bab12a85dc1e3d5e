import { afterAll, describe, expect, it, vi } from "vitest";
import { createLogger, parseConfig, type Service } from "@fv/platform";
import { CLOSED_PORT, listenForTest } from "@fv/platform/testing";
import { configShape } from "../src/config.js";
import { buildContactService } from "../src/server.js";
import { startContact } from "./helpers.js";

let down: Service | undefined;
let up: Awaited<ReturnType<typeof startContact>> | undefined;
afterAll(async () => {
  await down?.stop();
  await up?.stop();
});

describe("health", () => {
  it("starts without MongoDB: live, but not ready", async () => {
    const config = parseConfig(configShape, {
      MONGODB_URL: `mongodb://127.0.0.1:${CLOSED_PORT}/`,
      LOG_LEVEL: "silent",
    });
    down = await buildContactService(config, createLogger("contact", "silent"));
    const url = await listenForTest(down);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { mongodb: { ok: false } } });
  });

  it("is ready once MongoDB answers and the indexes exist", async () => {
    up = await startContact();
    const url = up.url;
    // The service connects in the background after it starts: wait for it, however long it takes.
    await vi.waitFor(
      async () => {
        const ready = await fetch(`${url}/health/ready`);
        expect(await ready.json()).toMatchObject({ status: "ready", checks: { mongodb: { ok: true } } });
        expect(ready.status).toBe(200);
      },
      { timeout: 15_000, interval: 100 },
    );
  });

  it("requires MONGODB_URL", () => {
    expect(() => parseConfig(configShape, {})).toThrow("MONGODB_URL is required but not set");
    expect(parseConfig(configShape, { MONGODB_URL: "mongodb://x/" }).MONGODB_DATABASE).toBe("contact");
  });
});
