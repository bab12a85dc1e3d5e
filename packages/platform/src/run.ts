import type { Service } from "./http-server.js";

/**
 * Listens, then on SIGTERM or SIGINT stops accepting, drains in-flight requests, closes stores
 * and exits 0. A second signal exits at once.
 */
export async function runService(service: Service, options: { host: string; port: number }): Promise<void> {
  const { logger } = service;
  let address;
  try {
    address = await service.listen(options.port, options.host);
  } catch (error) {
    logger.fatal({ err: error }, `cannot listen on ${options.host}:${options.port}`);
    await service.stop().catch(() => undefined);
    process.exit(1);
  }
  logger.info(
    { address: address.address, port: address.port },
    `${service.name} listening on http://${address.address}:${address.port}/graphql`,
  );

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      logger.warn({ signal }, "second signal: exiting without draining");
      process.exit(1);
    }
    signalled = true;
    logger.info({ signal }, "shutting down: draining requests");
    service.stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}
