import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Starts a service's real entry point with exactly `env` and returns how it ended. */
function startWith(dir: string, env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: dir,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME!, SERVICE_CREDENTIAL: "c".repeat(40), ...env },
    encoding: "utf8",
    timeout: 30_000,
  });
  return { code: result.status, stderr: result.stderr.trim() };
}

describe("configuration at start-up", () => {
  it.each([
    ["router", "REDIS_URL"],
    ["subgraphs/cart", "REDIS_URL"],
    ["subgraphs/auth", "REDIS_URL"],
    ["subgraphs/wishlist", "MONGODB_URL"],
    ["subgraphs/reviews", "MONGODB_URL"],
    ["subgraphs/contact", "MONGODB_URL"],
  ])("%s stops with one line naming a missing %s", (dir, variable) => {
    const { code, stderr } = startWith(dir, {});
    expect(code).toBe(1);
    expect(stderr.split("\n")).toHaveLength(1);
    expect(stderr).toContain(variable);
    expect(stderr).toContain("is required");
  });

  it.each(["router", "subgraphs/products", "subgraphs/orders"])(
    "%s refuses to start without the service credential",
    (dir) => {
      const { code, stderr } = startWith(dir, { SERVICE_CREDENTIAL: "", REDIS_URL: "redis://127.0.0.1:6379" });
      expect(code).toBe(1);
      expect(stderr).toBe("invalid configuration: SERVICE_CREDENTIAL is required but not set");
    },
  );

  it("a wrong value stops the service naming the variable", () => {
    const { code, stderr } = startWith("subgraphs/products", { PORT: "http" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^invalid configuration: PORT is invalid/);
  });

  it("the router refuses a CORS origin that is not a URL", () => {
    const { code, stderr } = startWith("router", {
      REDIS_URL: "redis://127.0.0.1:6379",
      CORS_ORIGINS: "https://floresvictoria.cl,not a url",
    });
    expect(code).toBe(1);
    expect(stderr).toContain("CORS_ORIGINS");
  });
});
