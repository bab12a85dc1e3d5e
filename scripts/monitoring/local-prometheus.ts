/**
 * Runs Debian's `prometheus` against the local stack with the project's configuration:
 *   pnpm start                                          # in one terminal
 *   pnpm exec tsx scripts/monitoring/local-prometheus.ts  # in another; then open http://127.0.0.1:9090
 * PORT_BASE (default 4000) moves the targets with the stack; PROMETHEUS_PORT (default 9090) moves Prometheus.
 * Config, rules and data live in .stores/prometheus/ (git-ignored). Ctrl-C stops it.
 */
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot, writeLocalPrometheusConfig } from "./rules.js";

const dir = join(repoRoot, ".stores/prometheus");
const config = writeLocalPrometheusConfig(dir, Number(process.env.PORT_BASE ?? 4000));
const check = spawnSync("promtool", ["check", "config", config], { stdio: "inherit" });
if (check.error || check.status !== 0) {
  console.error("promtool check config failed (is Debian's prometheus package installed? apt-get install prometheus)");
  process.exit(1);
}
const port = Number(process.env.PROMETHEUS_PORT ?? 9090);
const child = spawn(
  "prometheus",
  [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--storage.tsdb.retention.time=2d",
  ],
  { stdio: "inherit" },
);
console.log(`Prometheus on http://127.0.0.1:${port} (targets: http://127.0.0.1:${port}/targets)`);
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill("SIGTERM"));
child.on("exit", (code) => process.exit(code ?? 0));
