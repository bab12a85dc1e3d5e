/**
 * The monitoring against the running services: the nine services started as `pnpm start` starts them (same stack
 * script, on stores of their own, router on port 16000), then
 *  - every metric named by an alert, a recording rule, the autoscalers' prometheus-adapter rule, the canary
 *    analysis or a dashboard is exported by some service's /metrics (a family with HELP and TYPE and no sample
 *    yet counts), or is listed as coming from Prometheus itself or kube-state-metrics;
 *  - Debian's `prometheus`, run with the project's configuration (k8s/monitoring/prometheus.yml and the
 *    PrometheusRule's groups, as scripts/monitoring/local-prometheus.ts writes them) finds every target up and
 *    loads and evaluates every rule without error.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Stack } from "../../scripts/stack.js";
import { subgraphs } from "../../scripts/services.js";
import { startE2eStack, type E2eStack } from "../e2e-stack.js";
import { loadRuleGroups, writeLocalPrometheusConfig } from "../../scripts/monitoring/rules.js";
import { renderOverlays } from "../k8s/lib/manifests.js";
import { EXTERNAL_METRICS, exportedSeriesOf, referencedMetrics } from "./lib/referenced-metrics.js";

const PORT_BASE = 16_000;
const promDir = mkdtempSync(join(tmpdir(), "fv-mon-prometheus-"));
let e2e: E2eStack;
let stack: Stack;
let prometheus: ChildProcess | undefined;
let prometheusUrl: string;
const prometheusOutput: string[] = [];

beforeAll(async () => {
  e2e = await startE2eStack({ name: "mon", portBase: PORT_BASE });
  stack = e2e.stack;
  // Some traffic, so that the router has fetched from subgraphs and auth has refused a sign-in.
  const endpoint = e2e.endpoint;
  const post = (query: string) =>
    fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
  await post("{ __typename }");
  await post(
    'mutation { login(input: { email: "nadie@example.cl", password: "not-the-password" }) { errors { code } } }',
  );
});

afterAll(async () => {
  prometheus?.kill("SIGTERM");
  if (prometheus && prometheus.exitCode === null) await new Promise((r) => prometheus!.once("exit", r));
  await e2e?.stop();
  rmSync(promDir, { recursive: true, force: true });
});

describe("every metric the monitoring reads", () => {
  it("is exported by a running service, or comes from Prometheus or kube-state-metrics", async () => {
    const exported = new Map<string, string[]>();
    for (const service of stack.services) {
      const response = await fetch(`${service.baseUrl}/metrics`);
      expect(response.status, `${service.name} /metrics`).toBe(200);
      for (const series of exportedSeriesOf(await response.text()))
        exported.set(series, [...(exported.get(series) ?? []), service.name]);
    }
    expect(exported.size).toBeGreaterThan(50);
    const references = referencedMetrics(renderOverlays().prod);
    expect(references.length).toBeGreaterThan(100);
    const missing = new Map<string, string[]>();
    for (const { metric, where } of references)
      if (!exported.has(metric) && !(metric in EXTERNAL_METRICS))
        missing.set(metric, [...(missing.get(metric) ?? []), where]);
    const report = [...missing].map(([metric, where]) => `${metric} (read by ${[...new Set(where)].join("; ")})`);
    console.log(
      `metric existence: ${new Set(references.map((r) => r.metric)).size} metrics read, ${exported.size} series exported by ${stack.services.length} services, missing: ${report.length ? report.join(", ") : "none"}`,
    );
    expect(report).toEqual([]);
  });

  it("includes the platform's store, stream and outbox metrics where those exist", async () => {
    const text = async (name: string) =>
      (await fetch(`${stack.services.find((s) => s.name === name)!.baseUrl}/metrics`)).text();
    const router = await text("router");
    expect(router).toMatch(/^subgraph_fetch_duration_seconds_count\{.*subgraph="auth".*\} [1-9]/m);
    expect(router).toMatch(/^redis_command_duration_seconds_count\{/m);
    const auth = await text("auth");
    expect(auth).toMatch(/^sign_in_failures_total\{.*reason="invalid_credentials".*\} 1$/m);
    expect(auth).toMatch(/^pg_pool_clients\{.*state="total".*\} \d/m);
    expect(auth).toMatch(/^outbox_pending_events\{.*\} \d/m);
    expect(auth).toMatch(/^service_ready\{.*\} 1$/m);
    const users = await text("users");
    expect(users).toMatch(/^event_stream_pending\{.*stream="events:auth",group="users".*\} \d/m);
    const wishlist = await text("wishlist");
    expect(wishlist).toMatch(/^mongodb_command_duration_seconds_count\{/m);
  });
});

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function poll<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    try {
      last = await read();
      if (done(last)) return last;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(
    `${what}: not reached in ${timeoutMs} ms; last: ${JSON.stringify(last)}\n${prometheusOutput.join("")}`,
  );
}

describe("a local Prometheus with the project's configuration", () => {
  it("accepts the configuration (promtool check config)", () => {
    const config = writeLocalPrometheusConfig(promDir, PORT_BASE);
    const check = spawnSync("promtool", ["check", "config", config], { encoding: "utf8" });
    expect(check.error).toBeUndefined();
    expect(check.status, `${check.stdout}${check.stderr}`).toBe(0);
    expect(check.stdout).toMatch(/SUCCESS: 1 rule files found/);
  });

  it("scrapes the nine services: every target up", async () => {
    const port = await freePort();
    prometheusUrl = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      "prometheus",
      [
        `--config.file=${join(promDir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(promDir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    prometheus.stdout!.on("data", (d) => prometheusOutput.push(String(d)));
    prometheus.stderr!.on("data", (d) => prometheusOutput.push(String(d)));
    await poll(
      "ready",
      () => fetch(`${prometheusUrl}/-/ready`).then((r) => r.status),
      (s) => s === 200,
      30_000,
    );
    type Target = { labels: { app: string; job: string }; health: string; scrapeUrl: string; lastError: string };
    const targets = await poll(
      "every target up",
      async () =>
        ((await (await fetch(`${prometheusUrl}/api/v1/targets?state=active`)).json()) as any).data
          .activeTargets as Target[],
      (list) => list.length === 9 && list.every((t) => t.health === "up"),
      45_000,
    );
    expect(targets.map((t) => t.labels.app).sort()).toEqual(["router", ...subgraphs.map((s) => s.name)].sort());
    expect(new Set(targets.map((t) => t.labels.job))).toEqual(new Set(["flores-victoria"]));
    for (const t of targets) expect(t.scrapeUrl).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:160\\d\\d/metrics$`));
    console.log(`local Prometheus: ${targets.filter((t) => t.health === "up").length}/${targets.length} targets up`);
    // The same through PromQL, as the ServiceDown alert reads it.
    const query = await (
      await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent('count(up{job="flores-victoria"} == 1)')}`)
    ).json();
    expect((query as any).data.result[0].value[1]).toBe("9");
  });

  it("loads every rule of the PrometheusRule and evaluates them without error", async () => {
    const expected = loadRuleGroups();
    type Rule = { name: string; health: string; lastError?: string; type: string };
    const groups = await poll(
      "rules evaluated",
      async () =>
        ((await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as any).data.groups as {
          name: string;
          rules: Rule[];
        }[],
      (list) => list.length === expected.length && list.every((g) => g.rules.every((r) => r.health !== "unknown")),
      45_000,
    );
    expect(groups.map((g) => g.name).sort()).toEqual(expected.map((g) => g.name).sort());
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.length).toBe(expected.flatMap((g) => g.rules).length);
    expect(rules.filter((r) => r.health !== "ok").map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });
});
