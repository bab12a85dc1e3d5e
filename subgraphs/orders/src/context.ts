import type { Database, RequestContext } from "@fv/platform";
import type { schema } from "./db/schema.js";
import type { Loaders } from "./loaders.js";
import type { Peers } from "./peers.js";
import type { OrderMetrics } from "./metrics.js";
import type { PaymentProvider } from "./payments/provider.js";
import type { Config } from "./config.js";

export type OrdersDb = Database<typeof schema>;
/** A transaction of the orders database (what `db.transaction` hands its callback). */
export type OrdersTx = Parameters<Parameters<OrdersDb["transaction"]>[0]>[0];

/** What checkout and status changes need beside the database: peers, the payment provider, the streams. */
export interface OrdersDeps {
  db: OrdersDb;
  peers: Peers;
  payments: PaymentProvider;
  metrics: OrderMetrics;
  ordersStream: string;
  config: Pick<Config, "PAYMENT_WINDOW_SECONDS">;
  /** Asks the background worker to carry out pending reservation calls now rather than at its next tick. */
  kickReservationTasks: () => void;
}

export interface Context extends RequestContext, OrdersDeps {
  loaders: Loaders;
}
