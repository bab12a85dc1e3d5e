/**
 * The metric names the monitoring reads — alerts and recording rules (k8s/monitoring/prometheus-rules.yaml), the
 * autoscalers' custom metric (prometheus-adapter rules), the canary analysis (prod AnalysisTemplate), the Grafana
 * dashboards (k8s/monitoring/dashboards) — each with where it is read, so a missing one can be named.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { loadRuleGroups, monitoringDir } from "../../../scripts/monitoring/rules.js";
import { ofKind, type K8sObject } from "../../k8s/lib/manifests.js";
import { adapterRules } from "../../k8s/lib/metrics.js";

const KEYWORDS = new Set([
  "and",
  "or",
  "unless",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "offset",
  "bool",
  "inf",
  "nan",
  "atan2",
]);

/**
 * The metric names a PromQL expression selects: identifiers that are neither functions nor keywords, outside
 * label matchers, strings, ranges and grouping clauses. Grafana's variables ($namespace, ${x}, $__rate_interval)
 * and prometheus-adapter's templates (<<.Series>>) are removed first; Grafana's label_values(selector, label)
 * is read as its selector.
 */
export function metricNames(expr: string): string[] {
  let e = expr
    .replace(/^\s*label_values\((.*),\s*\w+\)\s*$/s, "$1")
    .replace(/<<[^>]*>>/g, " ")
    .replace(/\$\{[^}]*\}|\$\w+/g, " ")
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  let previous;
  do {
    previous = e;
    e = e.replace(/\{[^{}]*\}/g, " ");
  } while (e !== previous);
  e = e
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\boffset\s+-?\d+[smhdwy]+/g, " ");
  const names = new Set<string>();
  for (const m of e.matchAll(/(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(\s*\()?/g)) {
    const [, name, call] = m;
    if (call || KEYWORDS.has(name!.toLowerCase())) continue;
    names.add(name!);
  }
  return [...names];
}

export interface Reference {
  metric: string;
  where: string;
}

export const dashboardsDir = join(monitoringDir, "dashboards");

export function dashboardExpressions(): { where: string; expr: string }[] {
  const found: { where: string; expr: string }[] = [];
  for (const file of readdirSync(dashboardsDir).filter((f) => f.endsWith(".json"))) {
    const dashboard = JSON.parse(readFileSync(join(dashboardsDir, file), "utf8"));
    const visit = (panels: any[]) => {
      for (const panel of panels ?? []) {
        for (const target of panel.targets ?? [])
          if (target.expr) found.push({ where: `dashboard ${file}: ${panel.title}`, expr: target.expr });
        visit(panel.panels);
      }
    };
    visit(dashboard.panels);
    for (const variable of (dashboard.templating?.list ?? []).filter((v: any) => v.type === "query")) {
      const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
      if (query) found.push({ where: `dashboard ${file}: variable ${variable.name}`, expr: query });
    }
  }
  return found;
}

/** Every metric the monitoring reads, except those its own recording rules define. */
export function referencedMetrics(prodObjects: K8sObject[]): Reference[] {
  const groups = loadRuleGroups();
  const recorded = new Set(groups.flatMap((g) => g.rules).flatMap((r) => (r.record ? [r.record] : [])));
  const sources: { where: string; expr: string }[] = [
    ...groups.flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record} (${g.name})`, expr: r.expr }))),
    ...adapterRules().flatMap((r) => [
      { where: "prometheus-adapter seriesQuery", expr: r.seriesQuery },
      { where: "prometheus-adapter metricsQuery", expr: r.metricsQuery },
    ]),
    ...ofKind(prodObjects, "AnalysisTemplate").flatMap((t) =>
      (t.spec?.metrics ?? []).map((m: any) => ({
        where: `AnalysisTemplate ${t.metadata.name}: ${m.name}`,
        expr: String(m.provider?.prometheus?.query ?? "").replace(/\{\{[^}]*\}\}/g, "x"),
      })),
    ),
    ...dashboardExpressions(),
  ];
  return sources.flatMap(({ where, expr }) =>
    metricNames(expr)
      .filter((metric) => !recorded.has(metric))
      .map((metric) => ({ metric, where })),
  );
}

/**
 * Series that come from elsewhere than the services, by name: Prometheus's own per-target `up`, and
 * kube-state-metrics (part of kube-prometheus-stack) for restarts and autoscaler state.
 */
export const EXTERNAL_METRICS: Record<string, string> = {
  up: "Prometheus (one per scrape target)",
  kube_pod_container_status_restarts_total: "kube-state-metrics",
  kube_horizontalpodautoscaler_status_current_replicas: "kube-state-metrics",
  kube_horizontalpodautoscaler_spec_max_replicas: "kube-state-metrics",
};

/** The series a /metrics text exports, HELP/TYPE of a family with no samples included (a histogram's three). */
export function exportedSeriesOf(text: string): Set<string> {
  const series = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    series.add(name!);
    if (type === "histogram" || type === "summary")
      for (const s of ["_bucket", "_count", "_sum"]) series.add(name! + s);
  }
  for (const [, name] of text.matchAll(/^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{| )/gm)) series.add(name!);
  return series;
}
