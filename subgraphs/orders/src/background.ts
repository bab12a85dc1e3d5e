import { createRedis, startOutboxRelay, type Logger, type OwnedStore } from "@fv/platform";
import { runReservationTasks } from "./reservation-tasks.js";
import { expireUnpaidOrders } from "./payments/outcomes.js";
import type { OrdersDeps } from "./context.js";

/**
 * The orders service's work beside GraphQL: relaying the outbox to the streams, carrying out the
 * reservation calls products must receive, and cancelling orders whose payment window ran out.
 * None waits for its store or peer: each retries on its next tick. Returns Redis as a store
 * (readiness) whose close stops the work first.
 */
export function startBackgroundWork(
  options: { redisUrl: string; sweepIntervalMs: number; logger: Logger },
  deps: Omit<OrdersDeps, "kickReservationTasks">,
): OwnedStore & { kick: () => void } {
  const { logger } = options;
  const redis = createRedis({ url: options.redisUrl, logger, name: "redis" });
  const relay = startOutboxRelay({ db: deps.db, redis: redis.redis, logger });
  let running = true;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  let again = false;

  const tick = () => {
    clearTimeout(timer);
    current = (async () => {
      do {
        again = false;
        await expireUnpaidOrders({ ...deps, kickReservationTasks: () => void (again = true) }).catch((error: unknown) =>
          logger.warn({ err: error }, "expiring unpaid orders failed; retrying"),
        );
        await runReservationTasks(deps.db, deps.peers, logger).catch((error: unknown) =>
          logger.warn({ err: error }, "reservation tasks failed; retrying"),
        );
      } while (again && running);
    })().finally(() => {
      if (running) timer = setTimeout(tick, options.sweepIntervalMs);
    });
  };
  timer = setTimeout(tick, 0);

  return {
    readiness: redis.readiness,
    /** Runs the tasks now (after the current round), rather than at the next tick. */
    kick: () => {
      if (!running) return;
      again = true;
      void current.then(() => {
        if (running && again) tick();
      });
    },
    close: async () => {
      running = false;
      clearTimeout(timer);
      await Promise.all([current, relay.stop()]);
      await redis.close();
    },
  };
}
