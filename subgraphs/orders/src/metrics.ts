import { Counter, type Metric, type Registry } from "prom-client";

/*
 * The business metrics of orders that alerts and dashboards read (k8s/monitoring). Labels are
 * bounded: methods, reasons and outcomes are enums, never ids or free text.
 */
export function createOrderMetrics() {
  const metrics = {
    ordersPlaced: new Counter({
      name: "orders_placed_total",
      help: "Orders placed at checkout, by delivery method and payment method",
      labelNames: ["delivery_method", "payment_method"] as const,
      registers: [],
    }),
    ordersPlacedValue: new Counter({
      name: "orders_placed_value_clp_total",
      help: "Total value (CLP) of the orders placed, by delivery method",
      labelNames: ["delivery_method"] as const,
      registers: [],
    }),
    checkoutFailures: new Counter({
      name: "checkout_failures_total",
      help: "Checkouts refused or failed, by reason (the UserError code, or CATALOGUE_UNAVAILABLE / INTERNAL)",
      labelNames: ["reason"] as const,
      registers: [],
    }),
    paymentOutcomes: new Counter({
      name: "payment_outcomes_total",
      help: "Payments settled, by provider and outcome (approved, declined, expired)",
      labelNames: ["provider", "outcome"] as const,
      registers: [],
    }),
  };
  return {
    ...metrics,
    /** Adds them to the service's registry (one per service, so tests can run several in a process). */
    registerOn(registry: Registry) {
      for (const metric of Object.values(metrics) as Metric[]) registry.registerMetric(metric);
    },
  };
}

export type OrderMetrics = ReturnType<typeof createOrderMetrics>;
