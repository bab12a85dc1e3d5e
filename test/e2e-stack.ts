import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { mongoose } from "@fv/platform";
import { TEST_SERVICE_CREDENTIAL, createTestDatabase, testStores, uniqueName } from "@fv/platform/testing";
import { startStack, type Stack } from "../scripts/stack.js";
import { newSigningKey } from "../scripts/signing-keys.js";
import { startMailSink } from "../scripts/mail-sink.js";
import { subgraphs } from "../scripts/services.js";

export const SHOP_INBOX = "contacto@example.cl";

/**
 * The nine services as `pnpm start` starts them (same entry points, same stack script), on stores of
 * their own for this run (PostgreSQL databases, MongoDB databases and Redis keys named after `runId`)
 * and a local SMTP sink keeping mail in `mailDir`; `stop` removes all of it. Each end-to-end file
 * takes its own `portBase`, so the files can run side by side.
 */
export async function startE2eStack(options: {
  name: string;
  portBase: number;
  logLevel?: string;
  /** Extra environment for contact (a faster mail poll…). */
  contactEnv?: Record<string, string>;
}) {
  const runId = uniqueName(options.name);
  const mailDir = mkdtempSync(join(tmpdir(), `fv-${options.name}-mail-`));
  const mailSink = await startMailSink({ dir: mailDir });
  const databases = new Map<string, Awaited<ReturnType<typeof createTestDatabase>>>();
  for (const { name, stores } of subgraphs)
    if (stores.includes("postgres")) databases.set(name, await createTestDatabase(`${options.name}_${name}`));
  /** Every line every service printed, for tests that read the logs (`E2E_DEBUG=1` prints them too). */
  const lines: { service: string; line: string }[] = [];
  const stack: Stack = await startStack({
    portBase: options.portBase,
    postgresUrl: (name) => databases.get(name)!.url,
    mongoUrl: testStores.mongoUrl,
    mongoDatabase: (name) => `${runId}_${name}`,
    redisUrl: testStores.redisUrl,
    redisPrefix: (name) => `${runId}:${name}:`,
    eventsPrefix: `${runId}:`,
    serviceCredential: TEST_SERVICE_CREDENTIAL,
    serviceEnv: {
      auth: { AUTH_SIGNING_KEYS: JSON.stringify([await newSigningKey()]) },
      contact: {
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(mailSink.port),
        SMTP_TLS: "none",
        MAIL_FROM: "Flores Victoria <tienda@example.cl>",
        SHOP_INBOX,
        ...options.contactEnv,
      },
    },
    env: { LOG_LEVEL: options.logLevel ?? "warn", NODE_ENV: "development" },
    output: (service, line) => {
      lines.push({ service, line });
      if (process.env.E2E_DEBUG) console.log(service, line);
    },
  });
  const endpoint = stack.endpoint.replace("localhost", "127.0.0.1");
  return {
    runId,
    stack,
    /** The router's GraphQL URL, and its base (what `graphql()` of the testing package takes). */
    endpoint,
    base: endpoint.replace(/\/graphql$/, ""),
    databases,
    mailDir,
    lines,
    /** The emails the sink received so far, whole, that are addressed to `address`. */
    mailsTo: (address: string) =>
      readdirSync(mailDir)
        .map((file) => readFileSync(join(mailDir, file), "utf8"))
        .filter((mail) => new RegExp(`^To: .*${address.replace(/[.+]/g, "\\$&")}`, "m").test(mail)),
    stop: async () => {
      await stack.stop();
      await mailSink.stop();
      rmSync(mailDir, { recursive: true, force: true });
      for (const db of databases.values()) await db.drop();
      const mongo = await mongoose.createConnection(testStores.mongoUrl).asPromise();
      for (const { name, stores } of subgraphs)
        if (stores.includes("mongodb")) await mongo.useDb(`${runId}_${name}`).dropDatabase();
      await mongo.close();
      const redis = new Redis(testStores.redisUrl);
      const keys = await redis.keys(`${runId}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}

export type E2eStack = Awaited<ReturnType<typeof startE2eStack>>;
