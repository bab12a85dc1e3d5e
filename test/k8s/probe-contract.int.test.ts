/**
 * The probe contract: every service of each rendered overlay, started from its real entry point with the
 * environment and port its manifest gives it, answers the manifest's startup, liveness and readiness probes on
 * the declared port, from the pod's address (not loopback): 200 with its stores up; with its stores unreachable,
 * readiness 503 while startup and liveness stay 200 (so Kubernetes routes around it and does not restart it).
 *
 * The dev overlay's services run from the workspace. The prod overlay's run from what their images hold: the
 * output of the Dockerfile's own packaging step (scripts/k8s/package-service.sh: `pnpm deploy --legacy --prod`),
 * started with the image's CMD from its WORKDIR, as an unprivileged user that cannot write there, with /tmp
 * elsewhere (the pods' read-only root filesystem and emptyDir). So this file is also the packaging test.
 *
 * What is replaced, and only that: Secret values (dev: the generated ones; prod: test values for the keys the
 * ExternalSecrets declare), store addresses (this machine's PostgreSQL, Redis and FerretDB, each run on a
 * database or key prefix of its own, or 127.0.0.1:1 for "unreachable"), and in-cluster host names (a URL naming
 * a Service goes to 127.0.0.1 on the port that Service reaches, as cluster DNS would take it there).
 * One file for both overlays: their services listen on the same declared ports, so they take turns.
 */
import { execFile, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, it, type ExpectStatic } from "vitest";
import { uniqueName } from "@fv/platform/testing";
import { ofKind, renderOverlays, repoRoot, type Overlay } from "./lib/manifests.js";
import { appWorkloads, promqlMetrics } from "./lib/checks.js";
import { packageJson, serviceNames } from "./lib/code.js";
import { adapterMetrics } from "./lib/metrics.js";
import { deleteRedisKeys, planFor, storeOverrides, type Plan, type ProbeKind } from "./lib/plan.js";
import {
  assertPortFree,
  hasExited,
  limiter,
  podAddress,
  probe,
  probeUntil,
  runToEnd,
  start,
  stop,
  tail,
  type Running,
} from "./lib/process.js";

const rendered = renderOverlays();
const address = podAddress();
/** The pods' /tmp (an emptyDir): tsx keeps its compile cache there. One for all runs, so later starts are warm. */
const tmp = mkdtempSync(join(tmpdir(), "fv-k8s-probes-"));
chmodSync(tmp, 0o1777);
/** Where the services are packaged as the Dockerfile packages them. */
const images = mkdtempSync(join(tmpdir(), "fv-k8s-images-"));
chmodSync(images, 0o755);
const runId = uniqueName("k8s_probes");
const twoAtATime = limiter(2);

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await deleteRedisKeys(runId);
  spawnSync("chmod", ["-R", "u+w", images]);
  rmSync(images, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
}, 60_000);

/** The image's user: unprivileged (nobody), unable to write to the package. Root here runs it through setpriv. */
const asRoot = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
const asImageUser = (argv: string[]) =>
  asRoot
    ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", process.execPath, ...argv.slice(1)]
    : argv;

/** Packages a service with the Dockerfile's script into images/<service>; the package is made read-only. */
async function packageService(service: string) {
  const out = join(images, service);
  await promisify(execFile)("bash", [join(repoRoot, "scripts/k8s/package-service.sh"), service, out], {
    cwd: repoRoot,
    timeout: 300_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  if (!asRoot) spawnSync("chmod", ["-R", "a-w", join(out, "app")]);
  return join(out, "app");
}

/**
 * The services' packages, built one at a time from the start, while the dev overlay's services run (their
 * waits leave the CPU idle enough).
 */
const oneAtATime = limiter(1);
const packaged = Promise.all(
  serviceNames.map((service) => oneAtATime(async () => [service, await packageService(service)] as const)),
);
packaged.catch(() => undefined); // reported by the prod overlay's tests

/** Symbolic links under node_modules that lead outside the package (into the workspace, say). */
function linksLeaving(app: string): string[] {
  const leaving: string[] = [];
  const walk = (path: string, depth: number) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        const target = existsSync(full) ? realpathSync(full) : undefined;
        if (!target || relative(app, target).startsWith("..")) leaving.push(`${relative(app, full)} -> ${target}`);
      } else if (stat.isDirectory() && depth < 4) walk(full, depth + 1);
    }
  };
  walk(join(app, "node_modules"), 0);
  return leaving;
}

/** Development tools of the workspace that must not reach an image. */
const DEV_ONLY = ["typescript@", "vitest@", "vite@", "eslint@", "drizzle-kit@", "@graphql-codegen+", "prettier@"];

const processEnv = (env: Record<string, string>) => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  TMPDIR: tmp,
  ...env,
});

async function waitForStartup(expect: ExpectStatic, plan: Plan, r: Running) {
  const { action, timeoutSeconds, budgetMs } = plan.probes.startupProbe;
  const result = await probeUntil(
    r,
    () => probe(address, action, timeoutSeconds),
    (p) => p.status === 200,
    budgetMs,
  );
  expect(
    result.status,
    `startup probe ${action.path} on ${address}:${action.port} within ${budgetMs} ms\n${tail(r)}`,
  ).toBe(200);
}

async function expectProbe(expect: ExpectStatic, plan: Plan, r: Running, kind: ProbeKind, status: number) {
  const { action, timeoutSeconds } = plan.probes[kind];
  const result = await probe(address, action, timeoutSeconds);
  expect(
    result.status,
    `${kind} ${action.path} on port ${action.port}: ${result.error ?? result.body}\n${tail(r)}`,
  ).toBe(status);
  expect(result.ms, `${kind} answered within its timeoutSeconds`).toBeLessThan(timeoutSeconds * 1000);
  return result;
}

async function expectGracefulStop(expect: ExpectStatic, plan: Plan, r: Running) {
  const ended = await stop(r, plan.drainBudgetMs);
  expect(ended, `${plan.service} stops on SIGTERM within ${plan.drainBudgetMs} ms\n${tail(r)}`).toMatchObject({
    code: 0,
    signal: null,
  });
}

/** Runs `checks` against a started service; stops it either way, the first failure being the one reported. */
async function checking<T>(expect: ExpectStatic, plan: Plan, r: Running, checks: () => Promise<T>, keep = false) {
  let result: T;
  try {
    result = await checks();
  } catch (error) {
    await stop(r, plan.drainBudgetMs);
    throw error;
  }
  if (!keep) await expectGracefulStop(expect, plan, r);
  return result;
}

/** Stores unreachable: the service starts, stays live, and is not ready, naming what failed. */
async function withStoresUnreachable(expect: ExpectStatic, plan: Plan) {
  await assertPortFree(plan.probes.livenessProbe.action.port);
  const env = { ...plan.env, ...(await storeOverrides(plan, plan.env, false, runId, cleanups)) };
  const r = start(`${plan.overlay}/${plan.service} (stores unreachable)`, plan.argv, plan.dir, processEnv(env));
  await checking(expect, plan, r, async () => {
    await waitForStartup(expect, plan, r);
    await expectProbe(expect, plan, r, "livenessProbe", 200);
    const ready = await expectProbe(expect, plan, r, "readinessProbe", 503);
    const checks = (JSON.parse(ready.body) as { checks: Record<string, { ok: boolean }> }).checks;
    const failed = Object.keys(checks).filter((name) => !checks[name]!.ok);
    expect(failed, "the readiness answer names the unreachable stores").toEqual(
      expect.arrayContaining(plan.service === "router" ? ["redis"] : []),
    );
    expect(failed.length).toBeGreaterThan(0);
    for (const name of failed) expect(["postgres", "redis", "mongodb"], `failed check ${name}`).toContain(name);
    await expectProbe(expect, plan, r, "livenessProbe", 200);
  });
}

/** Metric series the cluster reads: the HPAs' (through prometheus-adapter) and the canary analysis's. */
const readByTheCluster = new Set([
  ...[...adapterMetrics().values()].flat(),
  ...ofKind(rendered.prod, "AnalysisTemplate").flatMap((t) =>
    (t.spec?.metrics ?? []).flatMap((m: any) => promqlMetrics(m.provider?.prometheus?.query ?? "")),
  ),
]);

/** Stores up: init containers (migrations) run, then every probe answers 200; the service keeps running. */
async function withStoresUp(expect: ExpectStatic, plan: Plan): Promise<Running> {
  const port = plan.probes.livenessProbe.action.port;
  await assertPortFree(port);
  const overrides = await storeOverrides(plan, plan.env, true, runId, cleanups);
  for (const init of plan.init) {
    const env = { ...init.env, ...Object.fromEntries(Object.entries(overrides).filter(([k]) => k in init.env)) };
    const { code, output } = await runToEnd(
      `${plan.service} init ${init.name}`,
      init.argv,
      plan.dir,
      processEnv(env),
      120_000,
    );
    expect(code, output).toBe(0);
  }
  const r = start(`${plan.overlay}/${plan.service}`, plan.argv, plan.dir, processEnv({ ...plan.env, ...overrides }));
  await checking(
    expect,
    plan,
    r,
    async () => {
      await waitForStartup(expect, plan, r);
      await expectProbe(expect, plan, r, "livenessProbe", 200);
      const { action, timeoutSeconds } = plan.probes.readinessProbe;
      const ready = await probeUntil(
        r,
        () => probe(address, action, timeoutSeconds),
        (p) => p.status === 200,
        60_000,
        500,
      );
      expect(ready.status, `readiness ${action.path} on port ${action.port}: ${ready.body}\n${tail(r)}`).toBe(200);
      await expectProbe(expect, plan, r, "startupProbe", 200);
      await expectProbe(expect, plan, r, "readinessProbe", 200);

      // A probe path the code does not serve is no 200: the probe calls above prove the paths, not luck.
      const missing = await probe(address, { ...action, path: `${action.path}-not-served` }, timeoutSeconds);
      expect(missing.status).toBe(404);

      expect(plan.scrapes.length, "a PodMonitor scrapes it").toBeGreaterThan(0);
      for (const scrape of plan.scrapes) {
        const metrics = await probe(address, scrape, 5);
        expect(metrics.status, `${scrape.path} on port ${scrape.port}`).toBe(200);
        const families = new Set([...metrics.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => m[1]));
        for (const series of readByTheCluster)
          expect(families, `${series} is exported`).toContain(series.replace(/_(bucket|count|sum)$/, ""));
        const rss = Number(/^process_resident_memory_bytes(?:\{[^}]*\})? (\S+)$/m.exec(metrics.body)?.[1]);
        expect(rss, `resident memory within 80 % of the ${plan.memoryLimitBytes} bytes limit`).toBeLessThan(
          plan.memoryLimitBytes * 0.8,
        );
      }
    },
    true,
  );
  return r;
}

/** The probe contract of one overlay's services; `where` says from which directory each runs, and how. */
function probeContract(overlay: Overlay, from: (plan: Plan) => Plan) {
  const plans = appWorkloads(rendered[overlay]).map((w) => from(planFor(rendered, overlay, w)));
  const subgraphPlans = plans.filter((p) => p.service !== "router");
  const routerPlan = plans.find((p) => p.service === "router")!;
  const running = new Map<string, Running>();
  afterAll(async () => {
    await Promise.all([...running.values()].map((r) => stop(r, 30_000)));
  }, 60_000);

  it("runs the nine services", ({ expect }) => {
    expect(plans.map((p) => p.service).sort()).toEqual([...serviceNames].sort());
  });

  for (const plan of subgraphPlans)
    it.concurrent(
      `${plan.service}: live, ready 503 with its stores unreachable; live and ready with them up`,
      ({ expect }) =>
        twoAtATime(async () => {
          await withStoresUnreachable(expect, plan);
          running.set(plan.service, await withStoresUp(expect, plan));
        }),
      300_000,
    );

  it("router: live, ready 503 with Redis unreachable; ready once Redis and every subgraph answer", async ({
    expect,
  }) => {
    expect([...running.keys()].sort(), "every subgraph is running").toEqual(subgraphPlans.map((p) => p.service).sort());
    await withStoresUnreachable(expect, routerPlan);
    running.set("router", await withStoresUp(expect, routerPlan));
  }, 180_000);

  it("every service drains and exits 0 on SIGTERM within its grace period", async ({ expect }) => {
    for (const plan of [routerPlan, ...subgraphPlans]) {
      const r = running.get(plan.service);
      expect(r && !hasExited(r), `${plan.service} is running`).toBe(true);
      running.delete(plan.service);
      await expectGracefulStop(expect, plan, r!);
    }
  }, 120_000);
}

describe("the dev overlay's services, from the workspace, answer their probes", () => {
  probeContract("dev", (plan) => plan);
});

describe("the prod overlay's services, from what their images hold, answer their probes", () => {
  const apps = new Map<string, string>();
  beforeAll(async () => {
    for (const [service, app] of await packaged) apps.set(service, app);
  }, 600_000);

  for (const service of serviceNames)
    it(`${service}'s image holds the service and its production dependencies, nothing from the workspace`, ({
      expect,
    }) => {
      const app = apps.get(service)!;
      expect(JSON.parse(readFileSync(join(app, "package.json"), "utf8")).name).toBe(packageJson(service).name);
      expect(existsSync(join(app, "src/main.ts"))).toBe(true);
      expect(existsSync(join(app, "test")), "no tests").toBe(false);
      expect(existsSync(join(app, "node_modules/@fv/platform/src/index.ts")), "@fv/platform copied in").toBe(true);
      expect(linksLeaving(app)).toEqual([]);
      const installed = readdirSync(join(app, "node_modules/.pnpm"));
      expect(installed.filter((p) => DEV_ONLY.some((d) => p.startsWith(d)))).toEqual([]);
      if (service === "router")
        expect(readFileSync(join(app, "../schema/supergraph.graphql"), "utf8")).toBe(
          readFileSync(join(repoRoot, "schema/supergraph.graphql"), "utf8"),
        );
    });

  probeContract("prod", (plan) => ({
    ...plan,
    get dir() {
      return apps.get(plan.service)!;
    },
    argv: asImageUser(plan.argv),
    init: plan.init.map((init) => ({ ...init, argv: asImageUser(init.argv) })),
  }));
});
