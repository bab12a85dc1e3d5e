/**
 * How a service runs in a pod, read from a rendered overlay: its command, environment, probes, init containers,
 * scrape endpoints and limits, with what must differ on this machine replaced (see probe-contract.int.test.ts).
 */
import { randomBytes } from "node:crypto";
import { mongoose } from "@fv/platform";
import { createTestDatabase, testStores, uniqueName } from "@fv/platform/testing";
import {
  matchesSelector,
  ofKind,
  renderedSecretValue,
  resolveEnv,
  resolvePort,
  secretData,
  type K8sObject,
  type Overlay,
  type Workload,
} from "./manifests.js";
import { mainContainer, memoryBytes, serviceOf } from "./checks.js";
import { clusterTarget } from "./network.js";
import { configShapes, packageDir } from "./code.js";
import type { HttpGetAction } from "./process.js";

/** The image's command (the Dockerfile's CMD; dockerfile.unit.test.ts holds them equal). */
export const IMAGE_CMD = ["node", "--import", "tsx", "src/main.ts"];

export type ProbeKind = "startupProbe" | "livenessProbe" | "readinessProbe";

export interface Probe {
  action: HttpGetAction;
  timeoutSeconds: number;
  /** How long the kubelet keeps trying before it acts: initialDelaySeconds + failureThreshold × periodSeconds. */
  budgetMs: number;
}

export interface Plan {
  overlay: Overlay;
  service: string;
  dir: string;
  argv: string[];
  env: Record<string, string>;
  init: { name: string; argv: string[]; env: Record<string, string> }[];
  probes: Record<ProbeKind, Probe>;
  scrapes: HttpGetAction[];
  memoryLimitBytes: number;
  /** What SIGTERM may take: the grace period less the preStop sleep before it. */
  drainBudgetMs: number;
}

const randomValue = () => randomBytes(24).toString("hex");

/**
 * Secret values: dev's are the generated ones; prod's ExternalSecrets only say which keys exist, so a key gets
 * the value the dev script generates for the same Secret and key (or a random one).
 */
export function secretValueFor(rendered: Record<Overlay, K8sObject[]>, overlay: Overlay) {
  if (overlay === "dev") return renderedSecretValue(rendered.dev);
  const devSecrets = ofKind(rendered.dev, "Secret");
  return (name: string, key: string) => {
    const dev = devSecrets.find((s) => s.metadata.name.replace(/-[bcdfghkmt2-9]{10}$/, "") === name);
    return (dev && secretData(dev)[key]) ?? randomValue();
  };
}

/** In-cluster URLs go to 127.0.0.1, on the port the named Service reaches, as cluster DNS would take them. */
export function throughClusterDns(objects: K8sObject[], env: Record<string, string>) {
  return Object.fromEntries(
    Object.entries(env).map(([key, value]) => [
      key,
      value
        .split(",")
        .map((part) => {
          const target = clusterTarget(objects, part.trim());
          if (!target) return part;
          const url = new URL(part.trim());
          url.hostname = "127.0.0.1";
          url.port = String(target.port);
          return url.toString();
        })
        .join(","),
    ]),
  );
}

function toProbe(podSpec: any, probe: any): Probe {
  return {
    action: { ...probe.httpGet, port: resolvePort(podSpec, probe.httpGet.port) ?? -1 },
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    budgetMs: ((probe.initialDelaySeconds ?? 0) + (probe.failureThreshold ?? 3) * (probe.periodSeconds ?? 10)) * 1000,
  };
}

export function planFor(rendered: Record<Overlay, K8sObject[]>, overlay: Overlay, w: Workload): Plan {
  const objects = rendered[overlay];
  const service = serviceOf(w)!;
  const spec = w.template!.spec;
  const main = mainContainer(spec);
  const secretValue = secretValueFor(rendered, overlay);
  const envOf = (container: any) => throughClusterDns(objects, resolveEnv(container, objects, secretValue).env);
  const scrapes = ofKind(objects, "PodMonitor")
    .filter((m) => matchesSelector(m.spec?.selector, w.template!.metadata?.labels))
    .flatMap((m) => m.spec.podMetricsEndpoints ?? [])
    .map((e: any) => ({ path: e.path ?? "/metrics", port: resolvePort(spec, e.port) ?? -1, scheme: e.scheme }));
  return {
    overlay,
    service,
    dir: packageDir(service),
    argv: main.command ? [...main.command, ...(main.args ?? [])] : [...IMAGE_CMD, ...(main.args ?? [])],
    env: envOf(main),
    init: (spec.initContainers ?? []).map((c: any) => ({
      name: c.name,
      argv: [...(c.command ?? IMAGE_CMD), ...(c.args ?? [])],
      env: envOf(c),
    })),
    probes: {
      startupProbe: toProbe(spec, main.startupProbe),
      livenessProbe: toProbe(spec, main.livenessProbe),
      readinessProbe: toProbe(spec, main.readinessProbe),
    },
    scrapes,
    memoryLimitBytes: memoryBytes(main.resources?.limits?.memory),
    drainBudgetMs:
      ((spec.terminationGracePeriodSeconds ?? 30) - Number(main.lifecycle?.preStop?.sleep?.seconds ?? 0)) * 1000,
  };
}

/**
 * This machine's stores in place of the cluster's: live ones, on a PostgreSQL database, a MongoDB database and
 * Redis key prefixes of this run (`prefix`), removed by what `cleanups` receives; or closed (127.0.0.1:1).
 */
export async function storeOverrides(
  plan: Pick<Plan, "overlay" | "service">,
  env: Record<string, string>,
  live: boolean,
  prefix: string,
  cleanups: (() => Promise<unknown>)[],
) {
  const shape = configShapes[plan.service]!;
  const out: Record<string, string> = {};
  if ("DATABASE_URL" in env) {
    if (live) {
      const database = await createTestDatabase(`k8s_${plan.overlay}_${plan.service}`);
      cleanups.push(() => database.drop());
      out.DATABASE_URL = database.url;
    } else out.DATABASE_URL = "postgres://postgres@127.0.0.1:1/closed";
  }
  if ("REDIS_URL" in env) out.REDIS_URL = live ? testStores.redisUrl : "redis://127.0.0.1:1";
  if ("MONGODB_URL" in env) out.MONGODB_URL = live ? testStores.mongoUrl : "mongodb://127.0.0.1:1/";
  if ("MONGODB_DATABASE" in shape) {
    const name = uniqueName(`k8s_${plan.overlay}_${plan.service}`);
    out.MONGODB_DATABASE = name;
    if (live)
      cleanups.push(async () => {
        const connection = await mongoose.createConnection(testStores.mongoUrl, { dbName: name }).asPromise();
        await connection.dropDatabase();
        await connection.close();
      });
  }
  for (const key of Object.keys(shape).filter((k) => k.endsWith("PREFIX")))
    out[key] = `${prefix}:${plan.overlay}:${plan.service}:${env[key] ?? ""}`;
  return out;
}

/** Deletes the Redis keys a run wrote under `prefix`. */
export async function deleteRedisKeys(prefix: string) {
  const { Redis } = await import("ioredis");
  const redis = new Redis(testStores.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
