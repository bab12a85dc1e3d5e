import { createMetrics } from "@fv/platform";
import { readRepoYaml } from "./manifests.js";
import { promqlMetrics, seriesOf } from "./checks.js";

/** The series every service exports (the platform's registry: HTTP and GraphQL histograms, store errors, defaults). */
export async function exportedSeries(): Promise<Set<string>> {
  const families = await createMetrics("k8s-test").registry.getMetricsAsJSON();
  return seriesOf(families.map((f) => ({ name: f.name, type: String(f.type) })));
}

export const adapterValuesPath = "k8s/monitoring/prometheus-adapter-values.yaml";

export interface AdapterRule {
  seriesQuery: string;
  metricsQuery: string;
  name?: { matches?: string; as?: string };
}

export const adapterRules = (): AdapterRule[] => readRepoYaml(adapterValuesPath)?.rules?.custom ?? [];

/** The custom metrics prometheus-adapter serves, and the series each is computed from. */
export function adapterMetrics(rules = adapterRules()): Map<string, string[]> {
  return new Map(
    rules.map((rule) => [
      rule.name?.as ?? promqlMetrics(rule.seriesQuery)[0] ?? "",
      [...promqlMetrics(rule.seriesQuery), ...promqlMetrics(rule.metricsQuery.replaceAll("<<.Series>>", ""))],
    ]),
  );
}
