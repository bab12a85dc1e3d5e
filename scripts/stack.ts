import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { router, subgraphs, type ServiceSpec } from "./services.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

export interface StackOptions {
  /** The router's port; subgraph N listens on portBase + N (4000 → 4001…4008, as in the README). */
  portBase: number;
  postgresUrl: (service: string) => string;
  mongoUrl: string;
  mongoDatabase: (service: string) => string;
  redisUrl: string;
  redisPrefix: (service: string) => string;
  /** Restart a service when its code changes (`pnpm dev`). */
  watch?: boolean;
  /** Where each service's output lines go. */
  output: (service: string, line: string) => void;
  /** Prefix of the event streams: the same for every service of one deployment. */
  eventsPrefix: string;
  /** Shared by the router and the subgraphs; subgraphs refuse GraphQL requests without it. */
  serviceCredential: string;
  /** Extra environment for every service (LOG_LEVEL…). HOST is left unset: services default to 0.0.0.0. */
  env?: Record<string, string>;
  /** Environment for one service only (secrets such as the auth signing keys go to their owner alone). */
  serviceEnv?: Record<string, Record<string, string>>;
  readyTimeoutMs?: number;
}

export interface RunningService {
  name: string;
  port: number;
  baseUrl: string;
  child: ChildProcess;
}

export interface Stack {
  endpoint: string;
  services: RunningService[];
  stop(): Promise<void>;
}

const portOf = (spec: ServiceSpec, base: number) => base + (spec.port - router.port);

function serviceEnv(spec: ServiceSpec, options: StackOptions): Record<string, string> {
  const env: Record<string, string> = {
    PORT: String(portOf(spec, options.portBase)),
    SERVICE_CREDENTIAL: options.serviceCredential,
    EVENTS_PREFIX: options.eventsPrefix,
    AUTH_JWKS_URL: `http://127.0.0.1:${portOf(subgraphs[0]!, options.portBase)}/.well-known/jwks.json`,
  };
  if (spec.stores.includes("postgres")) env.DATABASE_URL = options.postgresUrl(spec.name);
  if (spec.stores.includes("redis")) {
    env.REDIS_URL = options.redisUrl;
    env.REDIS_PREFIX = options.redisPrefix(spec.name);
  }
  if (spec.stores.includes("mongodb")) {
    env.MONGODB_URL = options.mongoUrl;
    env.MONGODB_DATABASE = options.mongoDatabase(spec.name);
  }
  for (const peer of spec.peers ?? []) {
    const peerSpec = subgraphs.find((sub) => sub.name === peer)!;
    env[`${peer.toUpperCase()}_URL`] = `http://127.0.0.1:${portOf(peerSpec, options.portBase)}/graphql`;
  }
  if (spec.name === "orders") {
    // The sandbox payment provider signs its webhooks with this; a stack makes a fresh one each start.
    env.PAYMENT_WEBHOOK_SECRET = randomBytes(32).toString("hex");
    env.PAYMENT_SANDBOX_PUBLIC_URL = `http://localhost:${portOf(spec, options.portBase)}/payments/sandbox`;
  }
  Object.assign(env, options.serviceEnv?.[spec.name]);
  if (spec === router) {
    for (const sub of subgraphs) {
      env[`SUBGRAPH_${sub.name.toUpperCase()}_URL`] = `http://127.0.0.1:${portOf(sub, options.portBase)}/graphql`;
    }
  }
  return env;
}

function childEnv(extra: Record<string, string>, options: StackOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? "development",
    ...options.env,
    ...extra,
  };
  delete env.HOST;
  return env;
}

function pipeLines(child: ChildProcess, name: string, output: StackOptions["output"]) {
  for (const stream of [child.stdout, child.stderr]) {
    let buffered = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) if (line) output(name, line);
    });
  }
}

/** Runs a one-off TypeScript script of a package (migrations, seed) and waits for it. */
function runScript(spec: ServiceSpec, script: string, env: Record<string, string>, options: StackOptions) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, script], {
      cwd: `${root}${spec.dir}`,
      env: childEnv(env, options),
      stdio: ["ignore", "pipe", "pipe"],
    });
    pipeLines(child, `${spec.name}:${script.split("/").pop()}`, options.output);
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${spec.name}: ${script} exited with ${code}`)),
    );
  });
}

async function waitReady(service: RunningService, deadline: number): Promise<void> {
  let last = "not answering";
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null)
      throw new Error(`${service.name} exited with code ${service.child.exitCode} before it was ready`);
    try {
      const response = await fetch(`${service.baseUrl}/health/ready`, { signal: AbortSignal.timeout(3_000) });
      if (response.ok) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${service.name} was not ready in time: ${last}`);
}

function stopChild(child: ChildProcess, graceMs = 15_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Migrates and seeds the PostgreSQL databases, starts the eight subgraphs, waits for each to be
 * ready, then starts the router and waits for it: what `pnpm start` and the end-to-end tests run.
 */
export async function startStack(options: StackOptions): Promise<Stack> {
  const running: RunningService[] = [];
  const stop = async () => {
    await Promise.all(running.map(({ child }) => stopChild(child)));
  };
  const start = (spec: ServiceSpec) => {
    // tsx as a loader inside the service's own process (not the tsx CLI, which wraps it in a parent
    // that force-kills a child slow to acknowledge SIGTERM): the signal reaches the service itself.
    const args = [...(options.watch ? ["--watch"] : []), "--import", "tsx", "src/main.ts"];
    const child = spawn(process.execPath, args, {
      cwd: `${root}${spec.dir}`,
      env: childEnv(serviceEnv(spec, options), options),
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: a Ctrl-C in the terminal reaches the stack script alone, which then
      // stops each service once, with SIGTERM, as Kubernetes would.
      detached: true,
    });
    pipeLines(child, spec.name, options.output);
    const port = portOf(spec, options.portBase);
    const service = { name: spec.name, port, baseUrl: `http://127.0.0.1:${port}`, child };
    running.push(service);
    return service;
  };

  try {
    const postgresServices = subgraphs.filter((s) => s.stores.includes("postgres"));
    await Promise.all(
      postgresServices.map((spec) => runScript(spec, "src/db/migrate.ts", serviceEnv(spec, options), options)),
    );
    const products = subgraphs.find((s) => s.name === "products")!;
    await runScript(products, "src/db/seed.ts", serviceEnv(products, options), options);

    const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
    const started = subgraphs.map(start);
    await Promise.all(started.map((service) => waitReady(service, deadline)));
    const gateway = start(router);
    await waitReady(gateway, deadline);
    return { endpoint: `${gateway.baseUrl.replace("127.0.0.1", "localhost")}/graphql`, services: running, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
