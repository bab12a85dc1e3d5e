/**
 * How the metric-existence check (stack.e2e.test.ts) reads metric names out of PromQL and /metrics text, and that
 * it finds the names of the rules, dashboards and autoscalers: a check that read nothing would pass anything.
 */
import { describe, expect, it } from "vitest";
import { renderOverlays } from "../k8s/lib/manifests.js";
import { dashboardExpressions, exportedSeriesOf, metricNames, referencedMetrics } from "./lib/referenced-metrics.js";

describe("metric names in PromQL", () => {
  it("finds selectors with and without matchers, and skips functions, keywords, labels, strings and variables", () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, service) (rate(http_request_duration_seconds_bucket{job="x", route=~"/graphql|other"}[$__rate_interval])))',
      ),
    ).toEqual(["http_request_duration_seconds_bucket"]);
    expect(
      metricNames(
        '(count by (namespace, app) (up{job="fv"} offset 10m) unless count by (namespace, app) (up)) or vector(0) and on (pod) group_left (x) process_start_time_seconds > bool 1',
      ).sort(),
    ).toEqual(["process_start_time_seconds", "up"]);
    expect(metricNames("slo:router_availability:error_ratio_rate1h > (14.4 * 0.005)")).toEqual([
      "slo:router_availability:error_ratio_rate1h",
    ]);
    expect(metricNames('sum(rate(<<.Series>>{<<.LabelMatchers>>,route="/graphql"}[2m])) by (<<.GroupBy>>)')).toEqual(
      [],
    );
    expect(metricNames('label_values(up{job="flores-victoria", namespace=~"$namespace"}, namespace)')).toEqual(["up"]);
    expect(metricNames('max(outbox_pending_events{job="a"}) * 60 + 1e3')).toEqual(["outbox_pending_events"]);
  });

  it("reads every panel and variable of the dashboards, and the rules, adapter and canary queries", () => {
    const panels = dashboardExpressions();
    expect(panels.length).toBeGreaterThan(40);
    const referenced = new Set(referencedMetrics(renderOverlays().prod).map((r) => r.metric));
    for (const metric of [
      "orders_placed_total",
      "checkout_failures_total",
      "payment_outcomes_total",
      "stock_reservation_conflicts_total",
      "sign_in_failures_total",
      "email_outbox_pending",
      "emails_sent_total",
      "contact_messages_received_total",
      "subgraph_fetch_duration_seconds_bucket",
      "pg_pool_clients",
      "event_stream_lag",
      "outbox_oldest_pending_age_seconds",
      "http_request_duration_seconds_count",
      "kube_horizontalpodautoscaler_spec_max_replicas",
      "up",
    ])
      expect(referenced, metric).toContain(metric);
    // Recorded series are the rules' own, not something a service must export.
    expect(referenced).not.toContain("slo:router_availability:error_ratio_rate1h");
  });
});

describe("series in /metrics text", () => {
  it("counts a family with HELP and TYPE but no samples as exported, with a histogram's series", () => {
    const text = [
      "# HELP orders_placed_total Orders placed",
      "# TYPE orders_placed_total counter",
      "# HELP subgraph_fetch_duration_seconds Fetches",
      "# TYPE subgraph_fetch_duration_seconds histogram",
      "# HELP up_time x",
      "process_cpu_seconds_total 1.5",
    ].join("\n");
    const series = exportedSeriesOf(text);
    expect(series).toContain("orders_placed_total");
    expect(series).toContain("subgraph_fetch_duration_seconds_bucket");
    expect(series).toContain("process_cpu_seconds_total");
    expect(series).not.toContain("up_time");
  });
});
