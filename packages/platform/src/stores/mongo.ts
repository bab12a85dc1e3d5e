import mongoose, { type Connection } from "mongoose";
import type { Logger } from "../logger.js";
import type { ReadinessCheck } from "../health.js";

export interface MongoStore {
  connection: Connection;
  readiness: ReadinessCheck;
  /** Resolves once connected; keeps retrying in the background after a failed first attempt. */
  connected: Promise<void>;
  close(): Promise<void>;
}

/**
 * One mongoose connection to one database. The service starts even when the server is down
 * (readiness says 503) and connects as soon as it answers.
 */
export function createMongo(options: { url: string; dbName?: string; logger: Logger }): MongoStore {
  const { url, dbName, logger } = options;
  const connection = mongoose.createConnection();
  let closed = false;

  const connected = (async () => {
    for (let attempt = 1; !closed; attempt++) {
      try {
        await connection.openUri(url, { dbName, serverSelectionTimeoutMS: 3_000 });
        return;
      } catch (error) {
        if (closed) return;
        if (attempt === 1) logger.warn({ err: error }, "mongodb not reachable yet; retrying");
        await new Promise((r) => setTimeout(r, Math.min(attempt * 500, 5_000)));
      }
    }
  })();
  connected.catch(() => undefined);

  return {
    connection,
    connected,
    readiness: {
      name: "mongodb",
      check: async () => {
        if (connection.readyState !== mongoose.ConnectionStates.connected || !connection.db) {
          throw new Error("mongodb is not connected");
        }
        await connection.db.command({ ping: 1 });
      },
    },
    close: async () => {
      closed = true;
      await connection.close(true);
    },
  };
}
