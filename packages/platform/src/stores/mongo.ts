import mongoose, { type Connection, type Model } from "mongoose";
import type { Logger } from "../logger.js";
import type { ReadinessCheck } from "../health.js";
import { instrumentMongoClient } from "../instrumentation.js";

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
  let instrumented = false;

  const connected = (async () => {
    for (let attempt = 1; !closed; attempt++) {
      try {
        // Command monitoring feeds mongodb_command_duration_seconds; the client is the connection's for life.
        await connection.openUri(url, { dbName, serverSelectionTimeoutMS: 3_000, monitorCommands: true });
        if (!instrumented) instrumentMongoClient(connection.getClient(), logger);
        instrumented = true;
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

/** Ids this service issues are ObjectIds; anything else names nothing here (and must not reach a cast). */
export const isObjectId = (id: string) => /^[0-9a-f]{24}$/i.test(id);

export const isDuplicateKeyError = (error: unknown) =>
  typeof error === "object" && error !== null && (error as { code?: unknown }).code === 11000;

/**
 * A mongoose connection with its models, whose indexes are created once connected. The unique
 * indexes carry business rules, so the store is ready only once they exist: readiness pings the
 * server and (re)tries the index creation until it has succeeded.
 */
export function createMongoStore<TModels extends Record<string, Model<any>>>(options: {
  url: string;
  dbName: string;
  logger: Logger;
  models: (connection: Connection) => TModels;
}) {
  const mongo = createMongo({ url: options.url, dbName: options.dbName, logger: options.logger });
  const models = options.models(mongo.connection);
  let indexes: Promise<void> | undefined;
  const ensureIndexes = () =>
    (indexes ??= Promise.all(Object.values(models).map((model) => model.createIndexes())).then(
      () => undefined,
      (error: unknown) => {
        indexes = undefined;
        throw error;
      },
    ));
  mongo.connected
    .then(() => (mongo.connection.readyState === 1 ? ensureIndexes() : undefined))
    .catch((error: unknown) => options.logger.warn({ err: error }, "could not create indexes yet; readiness retries"));

  const readiness: ReadinessCheck = {
    name: mongo.readiness.name,
    check: async () => {
      await mongo.readiness.check();
      await ensureIndexes();
    },
  };
  return {
    connection: mongo.connection,
    models,
    connected: mongo.connected,
    ensureIndexes,
    readiness,
    close: mongo.close,
  };
}

/** One copy of mongoose for every service: models must come from the library that made the connection. */
export { mongoose };
export { Schema, Types } from "mongoose";
export type { Connection as MongoConnection, Model } from "mongoose";
