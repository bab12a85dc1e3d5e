/**
 * The project's monitoring configuration as plain Prometheus files: the PrometheusRule of k8s/monitoring as a
 * rule file, and k8s/monitoring/prometheus.yml pointed at a stack on any port base. Used by the local
 * Prometheus (local-prometheus.ts) and by the tests of test/monitoring.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { parse, stringify } from "yaml";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
export const monitoringDir = join(repoRoot, "k8s/monitoring");
export const prometheusRulePath = join(monitoringDir, "prometheus-rules.yaml");
export const localConfigPath = join(monitoringDir, "prometheus.yml");
export const rulesTestsDir = join(monitoringDir, "rules-tests");
/** The port base k8s/monitoring/prometheus.yml targets (`pnpm start`'s). */
export const LOCAL_PORT_BASE = 4000;

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

export function loadRuleGroups(path = prometheusRulePath): RuleGroup[] {
  const rule = parse(readFileSync(path, "utf8"));
  if (rule?.kind !== "PrometheusRule") throw new Error(`${path} is not a PrometheusRule`);
  return rule.spec.groups as RuleGroup[];
}

export const alertRules = (groups = loadRuleGroups()) => groups.flatMap((g) => g.rules).filter((r) => r.alert);

/**
 * Writes the rule groups as a plain Prometheus rule file. Without annotations for promtool's unit tests,
 * which compare annotations verbatim (they are checked by test/monitoring/rules.unit.test.ts instead).
 */
export function writeRuleFile(path: string, options: { annotations: boolean } = { annotations: true }): RuleGroup[] {
  const groups = loadRuleGroups().map((g) => ({
    ...g,
    rules: g.rules.map(({ annotations, ...rest }) =>
      options.annotations && annotations ? { ...rest, annotations } : rest,
    ),
  }));
  writeFileSync(path, stringify({ groups }));
  return groups;
}

/**
 * Writes a run directory for a local Prometheus: prometheus.yml (the committed one, its targets moved to
 * `portBase` when it is not 4000) and rules.yaml beside it. Returns the config's path.
 */
export function writeLocalPrometheusConfig(dir: string, portBase = LOCAL_PORT_BASE): string {
  mkdirSync(dir, { recursive: true });
  const config = parse(readFileSync(localConfigPath, "utf8"));
  for (const job of config.scrape_configs ?? [])
    for (const target of job.static_configs ?? [])
      target.targets = (target.targets as string[]).map((t) =>
        t.replace(/:(\d+)$/, (_m, port: string) => `:${Number(port) - LOCAL_PORT_BASE + portBase}`),
      );
  writeRuleFile(join(dir, "rules.yaml"));
  const path = join(dir, "prometheus.yml");
  writeFileSync(path, stringify(config));
  return path;
}
