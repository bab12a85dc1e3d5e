import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { startStack } from "./stack.js";
import { developmentSigningKeys } from "./signing-keys.js";
import { startMailSink } from "./mail-sink.js";

/**
 * `pnpm start`: provisions the stores, migrates, seeds a demo catalogue when empty, starts the
 * nine services and waits until every one is ready. Ctrl-C stops everything it started.
 * `pnpm dev` does the same with each service restarting when its code changes.
 */
const watch = process.argv.includes("--watch");
const postgresAdminUrl = process.env.POSTGRES_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const colours = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];
const colourOf = new Map<string, number>();

const stores = (command: "up" | "down") =>
  execFileSync("bash", ["scripts/stores.sh", command], {
    stdio: "inherit",
    env: { ...process.env, SKIP_MIGRATIONS: "1" },
  });

const databaseUrl = (service: string) => {
  const url = new URL(postgresAdminUrl);
  url.pathname = `/fv_${service}`;
  return url.toString();
};

const started = Date.now();
// Stop on exit only the FerretDB this run starts, not one that was already running.
const ferretPidFile = fileURLToPath(new URL("../.stores/ferretdb.pid", import.meta.url));
const ferretWasRunning = existsSync(ferretPidFile);
stores("up");
const startedFerret = !ferretWasRunning && existsSync(ferretPidFile);
let stack: Awaited<ReturnType<typeof startStack>> | undefined;
const mailDir = fileURLToPath(new URL("../.stores/mail", import.meta.url));
const mailSink = await startMailSink({ dir: mailDir });
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping the supergraph…");
  await stack?.stop();
  await mailSink.stop();
  if (startedFerret) stores("down");
  process.exit(code);
};
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));

try {
  stack = await startStack({
    portBase: Number(process.env.PORT_BASE ?? 4000),
    postgresUrl: databaseUrl,
    mongoUrl: process.env.MONGODB_URL ?? "mongodb://127.0.0.1:27017/",
    mongoDatabase: (service) => service,
    redisUrl: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    redisPrefix: (service) => `fv:${service}:`,
    eventsPrefix: "fv:",
    // A new credential each run: nothing to keep secret in the repository or on disk.
    serviceCredential: process.env.SERVICE_CREDENTIAL ?? randomBytes(32).toString("base64url"),
    watch,
    serviceEnv: {
      contact: {
        SMTP_HOST: "127.0.0.1",
        SMTP_PORT: String(mailSink.port),
        SMTP_TLS: "none",
        MAIL_FROM: "Flores Victoria <tienda@floresvictoria.cl>",
        SHOP_INBOX: "contacto@floresvictoria.cl",
      },
      auth: {
        AUTH_SIGNING_KEYS:
          process.env.AUTH_SIGNING_KEYS ??
          (await developmentSigningKeys(fileURLToPath(new URL("../.stores/auth-signing-keys.json", import.meta.url)))),
      },
    },
    env: { LOG_LEVEL: process.env.LOG_LEVEL ?? "info" },
    output: (service, line) => {
      if (!colourOf.has(service)) colourOf.set(service, colours[colourOf.size % colours.length]!);
      process.stdout.write(`\x1b[${colourOf.get(service)}m${service.padEnd(16)}\x1b[0m ${line}\n`);
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`\nFlores Victoria supergraph ready in ${seconds}s at ${stack.endpoint}`);
  console.log(`GraphiQL: ${stack.endpoint.replace(/\/graphql$/, "/")}   (Ctrl-C stops everything)`);
  console.log(`Mail the services send is kept in ${mailDir}\n`);
  if (!watch) {
    // A service that dies takes the stack down with it rather than leaving a half-working supergraph.
    for (const service of stack.services) {
      service.child.on("exit", (code) => {
        if (!stopping) {
          console.error(`${service.name} exited with code ${code}; stopping`);
          void shutdown(1);
        }
      });
    }
  }
} catch (error) {
  console.error(`could not start the supergraph: ${(error as Error).message}`);
  await shutdown(1);
}
