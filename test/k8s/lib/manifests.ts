import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments, parse as parseYaml } from "yaml";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const k8sDir = join(repoRoot, "k8s");
export const devSecretsScript = join(repoRoot, "scripts/k8s/dev-secrets.sh");

export const overlays = ["dev", "prod"] as const;
export type Overlay = (typeof overlays)[number];

export type Labels = Record<string, string>;

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels; annotations?: Record<string, string> };
  [field: string]: any;
}

export interface Selector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function parseManifests(yamlText: string): K8sObject[] {
  return parseAllDocuments(yamlText)
    .map((doc) => {
      if (doc.errors.length) throw new Error(doc.errors.map((e) => e.message).join("\n"));
      return doc.toJS() as K8sObject | null;
    })
    .filter((o): o is K8sObject => o !== null);
}

/** `kubectl kustomize` of a directory, as objects. */
export function kustomize(dir: string): K8sObject[] {
  const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return parseManifests(out);
}

/**
 * A copy of k8s/ with the dev secret files written by scripts/k8s/dev-secrets.sh, as CI would make it on a
 * clean clone (the repository's own, git-ignored secrets are not copied). The caller removes it.
 */
export function k8sCopyWithDevSecrets(): string {
  const dir = mkdtempSync(join(tmpdir(), "fv-k8s-"));
  cpSync(k8sDir, dir, {
    recursive: true,
    filter: (source) => !source.startsWith(join(k8sDir, "overlays/dev/secrets")),
  });
  execFileSync("bash", [devSecretsScript, join(dir, "overlays/dev/secrets")], { stdio: ["ignore", "pipe", "pipe"] });
  return dir;
}

export interface Rendered {
  dev: K8sObject[];
  prod: K8sObject[];
  /** The dev secret files the script wrote, by file name (auth.env…), as KEY → value. */
  devSecretFiles: Record<string, Record<string, string>>;
}

let rendered: Rendered | undefined;

/** Both overlays, rendered once per test file. */
export function renderOverlays(): Rendered {
  if (rendered) return rendered;
  const dir = k8sCopyWithDevSecrets();
  try {
    const secretsDir = join(dir, "overlays/dev/secrets");
    const devSecretFiles = Object.fromEntries(
      readdirSync(secretsDir).map((file) => [file, parseEnvFile(readFileSync(join(secretsDir, file), "utf8"))]),
    );
    rendered = {
      dev: kustomize(join(dir, "overlays/dev")),
      prod: kustomize(join(dir, "overlays/prod")),
      devSecretFiles,
    };
    return rendered;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function parseEnvFile(text: string): Record<string, string> {
  const entries: [string, string][] = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const at = line.indexOf("=");
    entries.push([line.slice(0, at), line.slice(at + 1)]);
  }
  return Object.fromEntries(entries);
}

export const readRepoYaml = (path: string) => parseYaml(readFileSync(join(repoRoot, path), "utf8"));

export const clone = <T>(value: T): T => structuredClone(value);

export const find = (objects: K8sObject[], kind: string, name: string) =>
  objects.find((o) => o.kind === kind && o.metadata.name === name);

export const ofKind = (objects: K8sObject[], ...kinds: string[]) => objects.filter((o) => kinds.includes(o.kind));

export function matchesSelector(selector: Selector | undefined, labels: Labels | undefined): boolean {
  if (!selector) return false;
  const have = labels ?? {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (have[key] !== value) return false;
  for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
    const present = key in have;
    if (operator === "In" && !(present && values.includes(have[key]!))) return false;
    if (operator === "NotIn" && present && values.includes(have[key]!)) return false;
    if (operator === "Exists" && !present) return false;
    if (operator === "DoesNotExist" && present) return false;
  }
  return true;
}

export const isEmptySelector = (selector: Selector | undefined) =>
  !!selector && !Object.keys(selector.matchLabels ?? {}).length && !(selector.matchExpressions ?? []).length;

/** Something that runs pods: a Deployment, a StatefulSet, or a Rollout (with its own template or a workloadRef). */
export interface Workload {
  object: K8sObject;
  kind: string;
  name: string;
  selector: Selector | undefined;
  /** The pod template (for a Rollout with a workloadRef: the referenced Deployment's). */
  template: { metadata?: { labels?: Labels }; spec: any } | undefined;
  /** A Deployment whose pods a Rollout runs (workloadRef) runs none of its own. */
  templateOnly: boolean;
}

export function workloads(objects: K8sObject[]): Workload[] {
  const referenced = new Set(
    ofKind(objects, "Rollout")
      .map((r) => r.spec?.workloadRef)
      .filter((ref) => ref?.kind === "Deployment")
      .map((ref) => ref.name as string),
  );
  return ofKind(objects, "Deployment", "StatefulSet", "Rollout").map((object) => {
    const ref = object.kind === "Rollout" ? object.spec?.workloadRef : undefined;
    const template = ref ? find(objects, ref.kind, ref.name)?.spec?.template : object.spec?.template;
    return {
      object,
      kind: object.kind,
      name: object.metadata.name,
      selector: object.spec?.selector,
      template,
      templateOnly: object.kind === "Deployment" && referenced.has(object.metadata.name),
    };
  });
}

/** The pods CronJobs run (the backups): hardened and wired like the services' pods, no Service in front. */
export function jobPodTemplates(objects: K8sObject[]): Workload[] {
  return ofKind(objects, "CronJob").map((object) => ({
    object,
    kind: object.kind,
    name: object.metadata.name,
    selector: undefined,
    template: object.spec?.jobTemplate?.spec?.template,
    templateOnly: false,
  }));
}

/** Distinct pod templates: each pod that can run once (a Rollout's pods are its Deployment's template). */
export function podTemplates(objects: K8sObject[]) {
  return workloads(objects).filter((w) => !(w.kind === "Rollout" && w.object.spec?.workloadRef));
}

export const containersOf = (podSpec: any): any[] => [
  ...(podSpec?.initContainers ?? []),
  ...(podSpec?.containers ?? []),
];

/** The number a Service targetPort or probe port means for a pod, or undefined when the pod declares none. */
export function resolvePort(podSpec: any, port: number | string | undefined): number | undefined {
  const declared = (podSpec?.containers ?? []).flatMap((c: any) => c.ports ?? []);
  if (typeof port === "number") return declared.some((p: any) => p.containerPort === port) ? port : undefined;
  if (typeof port === "string" && /^\d+$/.test(port)) return resolvePort(podSpec, Number(port));
  return declared.find((p: any) => p.name === port)?.containerPort;
}

export const imageRepository = (image: string) => image.replace(/@sha256:[0-9a-f]+$/, "").replace(/:[^/:]+$/, "");

/** The value of a Secret's key: from Secret data (base64) or stringData. */
export function secretData(secret: K8sObject): Record<string, string> {
  return {
    ...Object.fromEntries(
      Object.entries((secret.data ?? {}) as Record<string, string>).map(([k, v]) => [
        k,
        Buffer.from(v, "base64").toString("utf8"),
      ]),
    ),
    ...((secret.stringData ?? {}) as Record<string, string>),
  };
}

/** Keys a Secret named `name` will have: a rendered Secret's, or those an ExternalSecret writes into it. */
export function secretKeys(objects: K8sObject[], name: string): Set<string> | undefined {
  const secret = find(objects, "Secret", name);
  if (secret) return new Set(Object.keys(secretData(secret)));
  const external = ofKind(objects, "ExternalSecret").find((e) => (e.spec?.target?.name ?? e.metadata.name) === name);
  if (!external) return undefined;
  const keys = new Set<string>((external.spec?.data ?? []).map((d: any) => d.secretKey as string));
  for (const key of Object.keys(external.spec?.target?.template?.data ?? {})) keys.add(key);
  return keys;
}

export interface ResolvedEnv {
  env: Record<string, string>;
  /** Where each variable came from. */
  source: Record<string, "literal" | "configMap" | "secret" | "field">;
  /** For secret-sourced variables: which Secret and key. */
  secretRef: Record<string, { name: string; key: string }>;
  problems: string[];
}

/**
 * A container's environment as the kubelet builds it: envFrom first, then env (which wins). Secret values come
 * from `secretValue` (the rendered Secret's in dev; test values where only an ExternalSecret says what exists).
 */
export function resolveEnv(
  container: any,
  objects: K8sObject[],
  secretValue: (name: string, key: string) => string | undefined,
): ResolvedEnv {
  const result: ResolvedEnv = { env: {}, source: {}, secretRef: {}, problems: [] };
  const set = (name: string, value: string, source: ResolvedEnv["source"][string]) => {
    result.env[name] = value;
    result.source[name] = source;
    if (source !== "secret") delete result.secretRef[name];
  };
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? "";
    if (from.configMapRef) {
      const cm = find(objects, "ConfigMap", from.configMapRef.name);
      if (!cm) {
        if (!from.configMapRef.optional) result.problems.push(`envFrom: no ConfigMap ${from.configMapRef.name}`);
        continue;
      }
      for (const [k, v] of Object.entries((cm.data ?? {}) as Record<string, string>)) set(prefix + k, v, "configMap");
    }
    if (from.secretRef) {
      const keys = secretKeys(objects, from.secretRef.name);
      if (!keys) {
        if (!from.secretRef.optional) result.problems.push(`envFrom: no Secret ${from.secretRef.name}`);
        continue;
      }
      for (const k of keys) {
        set(prefix + k, secretValue(from.secretRef.name, k) ?? "", "secret");
        result.secretRef[prefix + k] = { name: from.secretRef.name, key: k };
      }
    }
  }
  for (const entry of container.env ?? []) {
    if ("value" in entry) set(entry.name, String(entry.value ?? ""), "literal");
    else if (entry.valueFrom?.configMapKeyRef) {
      const { name, key, optional } = entry.valueFrom.configMapKeyRef;
      const value = find(objects, "ConfigMap", name)?.data?.[key];
      if (value === undefined) {
        if (!optional) result.problems.push(`${entry.name}: ConfigMap ${name} has no key ${key}`);
        continue;
      }
      set(entry.name, value, "configMap");
    } else if (entry.valueFrom?.secretKeyRef) {
      const { name, key, optional } = entry.valueFrom.secretKeyRef;
      const keys = secretKeys(objects, name);
      if (!keys?.has(key)) {
        if (!optional)
          result.problems.push(`${entry.name}: ${keys ? `Secret ${name} has no key ${key}` : `no Secret ${name}`}`);
        continue;
      }
      set(entry.name, secretValue(name, key) ?? "", "secret");
      result.secretRef[entry.name] = { name, key };
    } else if (entry.valueFrom?.fieldRef) set(entry.name, `<${entry.valueFrom.fieldRef.fieldPath}>`, "field");
    else result.problems.push(`${entry.name}: neither a value nor a supported valueFrom`);
  }
  return result;
}

/** The Secret values of a rendered overlay (dev): what a container would read. */
export const renderedSecretValue = (objects: K8sObject[]) => (name: string, key: string) => {
  const secret = find(objects, "Secret", name);
  return secret ? secretData(secret)[key] : undefined;
};
