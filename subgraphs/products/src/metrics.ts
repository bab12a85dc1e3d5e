import { Counter } from "prom-client";

/**
 * The products service's business metrics, registered on the service's own registry (served at
 * /metrics beside the platform's) once the service is built.
 */
export function createProductsMetrics() {
  return {
    reservationConflicts: new Counter({
      name: "stock_reservation_conflicts_total",
      help: "Stock reservations refused because a line asked for more than the available stock",
      registers: [],
    }),
  };
}

export type ProductsMetrics = ReturnType<typeof createProductsMetrics>;
