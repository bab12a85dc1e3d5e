/**
 * Packaging: what the Dockerfile builds for a service (scripts/k8s/package-service.sh: `pnpm deploy --legacy
 * --prod`) is self-contained and runs. Each service's output is started the way the image starts it (its CMD,
 * from its WORKDIR, as an unprivileged user that cannot write there, /tmp elsewhere), with the prod overlay's
 * environment on a free port, and answers /health/live; a subgraph also migrates (its init container's command)
 * and becomes ready against this machine's stores.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  rmSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, it } from "vitest";
import { uniqueName } from "@fv/platform/testing";
import { renderOverlays, repoRoot } from "./lib/manifests.js";
import { appWorkloads, serviceOf } from "./lib/checks.js";
import { packageJson, serviceNames } from "./lib/code.js";
import { IMAGE_CMD, deleteRedisKeys, planFor, storeOverrides } from "./lib/plan.js";
import { limiter, probe, probeUntil, runToEnd, start, stop, tail } from "./lib/process.js";

const rendered = renderOverlays();
const root = mkdtempSync(join(tmpdir(), "fv-k8s-package-"));
chmodSync(root, 0o755);
const runId = uniqueName("k8s_package");
const cleanups: (() => Promise<unknown>)[] = [];
const twoAtATime = limiter(2);
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  await deleteRedisKeys(runId);
  rmSync(root, { recursive: true, force: true });
}, 60_000);

/** As the image runs: an unprivileged user (nobody) that cannot write to the package. */
const unprivileged = process.getuid?.() === 0 && spawnSync("setpriv", ["--version"]).status === 0;
const asImageUser = (argv: string[]) =>
  unprivileged
    ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", process.execPath, ...argv.slice(1)]
    : argv;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** Packages a service into `out` with the Dockerfile's script. */
function packageService(service: string, out: string) {
  execFileSync("bash", [join(repoRoot, "scripts/k8s/package-service.sh"), service, out], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 240_000,
  });
}

/** Symbolic links under `dir` that lead outside it (into the workspace, say). */
function linksLeaving(dir: string): string[] {
  const leaving: string[] = [];
  const walk = (path: string, depth: number) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      const stat = lstatSync(full);
      if (stat.isSymbolicLink()) {
        const target = existsSync(full) ? realpathSync(full) : "(dangling)";
        if (relative(dir, target).startsWith("..") || target === "(dangling)")
          leaving.push(`${relative(dir, full)} -> ${target}`);
      } else if (stat.isDirectory() && depth < 4) walk(full, depth + 1);
    }
  };
  walk(join(dir, "node_modules"), 0);
  return leaving;
}

/** Development tools of the workspace that must not reach an image. */
const DEV_ONLY = [
  "typescript@",
  "vitest@",
  "eslint@",
  "drizzle-kit@",
  "@graphql-codegen+",
  "prettier@",
  "secretlint@",
  "@types+",
];

describe("packaging: the output of the Dockerfile's pnpm deploy starts and serves", () => {
  for (const service of serviceNames)
    it.concurrent(
      `${service}`,
      ({ expect }) =>
        twoAtATime(async () => {
          const out = join(root, service);
          packageService(service, out);
          const app = join(out, "app");

          // Self-contained, production dependencies only, no tests.
          expect(JSON.parse(readFileSync(join(app, "package.json"), "utf8")).name).toBe(packageJson(service).name);
          expect(existsSync(join(app, "src/main.ts"))).toBe(true);
          expect(existsSync(join(app, "test"))).toBe(false);
          expect(existsSync(join(app, "node_modules/@fv/platform/src/index.ts"))).toBe(true);
          expect(linksLeaving(app)).toEqual([]);
          const installed = readdirSync(join(app, "node_modules/.pnpm"));
          expect(installed.filter((p) => DEV_ONLY.some((d) => p.startsWith(d)))).toEqual([]);
          if (service === "router")
            expect(readFileSync(join(out, "schema/supergraph.graphql"), "utf8")).toBe(
              readFileSync(join(repoRoot, "schema/supergraph.graphql"), "utf8"),
            );

          // Started as the image starts it, with the prod overlay's environment, on a free port.
          const workload = appWorkloads(rendered.prod).find((w) => serviceOf(w) === service)!;
          const plan = planFor(rendered, "prod", workload);
          const port = await freePort();
          const overrides = await storeOverrides(plan, plan.env, true, runId, cleanups);
          const tmp = join(root, `${service}-tmp`);
          mkdirSync(tmp);
          if (unprivileged) chownSync(tmp, 65534, 65534);
          else execFileSync("chmod", ["-R", "a-w", app]);
          const env = (base: Record<string, string>) => ({
            PATH: process.env.PATH ?? "/usr/bin:/bin",
            TMPDIR: tmp,
            ...base,
            ...Object.fromEntries(
              Object.entries(overrides).filter(([k]) => k in base || k.endsWith("PREFIX") || k === "MONGODB_DATABASE"),
            ),
            ...("PORT" in base ? { PORT: String(port) } : {}),
            LOG_LEVEL: "warn",
          });
          for (const init of plan.init) {
            const { code, output } = await runToEnd(
              `${service} ${init.name}`,
              asImageUser(init.argv),
              app,
              env(init.env),
              120_000,
            );
            expect(code, output).toBe(0);
          }
          const r = start(`packaged ${service}`, asImageUser(IMAGE_CMD), app, env(plan.env));
          try {
            const live = await probeUntil(
              r,
              () => probe("127.0.0.1", { path: "/health/live", port }, 2),
              (p) => p.status === 200,
              90_000,
            );
            expect(live.status, tail(r)).toBe(200);
            if (service !== "router") {
              // The router is ready only with every subgraph; the probe contract covers it.
              const ready = await probeUntil(
                r,
                () => probe("127.0.0.1", { path: "/health/ready", port }, 4),
                (p) => p.status === 200,
                60_000,
                500,
              );
              expect(ready.status, `${ready.body}\n${tail(r)}`).toBe(200);
            }
          } finally {
            const ended = await stop(r, 20_000);
            expect(ended.code, tail(r)).toBe(0);
          }
        }),
      360_000,
    );
});
