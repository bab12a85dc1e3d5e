import type { K8sObject } from "./manifests.js";

/** The kubernetes-models packages that hold the schemas of every apiVersion the manifests use. */
const schemaModules: Record<string, () => Promise<Record<string, unknown>>> = {
  v1: () => import("kubernetes-models/v1"),
  "apps/v1": () => import("kubernetes-models/apps/v1"),
  "autoscaling/v2": () => import("kubernetes-models/autoscaling/v2"),
  "batch/v1": () => import("kubernetes-models/batch/v1"),
  "policy/v1": () => import("kubernetes-models/policy/v1"),
  "networking.k8s.io/v1": () => import("kubernetes-models/networking.k8s.io/v1"),
  "argoproj.io/v1alpha1": () => import("@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1"),
  "external-secrets.io/v1": () => import("@kubernetes-models/external-secrets/external-secrets.io/v1"),
  "monitoring.coreos.com/v1": () => import("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1"),
};

interface ModelClass {
  new (data: unknown): unknown;
  prototype: { validate(this: unknown): void };
}

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  const load = schemaModules[apiVersion];
  if (!load) return undefined;
  const model = (await load())[kind] as ModelClass | undefined;
  return typeof model === "function" ? model : undefined;
}

/**
 * Validates `data` with the model's JSON schema, and reports the fields the schema does not know (what
 * `kubectl apply --validate=strict` refuses: a misspelt `readinessProbes` would otherwise pass as an unknown
 * and ignored field). The generated validators read every property they know and enumerate the keys of maps;
 * a key of an object that is neither read nor enumerated is unknown to the schema.
 */
function validateStrictly(model: ModelClass, data: K8sObject): string[] {
  const records: { path: string; value: Record<string, unknown>; read: Set<string>; enumerated: boolean }[] = [];
  const track = (value: unknown, path: string): unknown => {
    if (value === null || typeof value !== "object") return value;
    const record = { path, value: value as Record<string, unknown>, read: new Set<string>(), enumerated: false };
    records.push(record);
    const children = new Map<string, unknown>();
    return new Proxy(value as object, {
      get(target, key, receiver) {
        const child = Reflect.get(target, key, receiver);
        if (typeof key !== "string" || !Object.hasOwn(target, key)) return child;
        record.read.add(key);
        if (!children.has(key)) children.set(key, track(child, `${path}.${key}`));
        return children.get(key);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
  };
  const problems: string[] = [];
  try {
    model.prototype.validate.call(track(structuredClone(data), ""));
  } catch (error) {
    problems.push((error as Error).message);
  }
  for (const { path, value, read, enumerated } of records) {
    if (enumerated || Array.isArray(value)) continue;
    for (const key of Object.keys(value)) if (!read.has(key)) problems.push(`unknown field ${path}.${key}`);
  }
  return problems;
}

/** Problems of one object against its Kubernetes or CRD schema; an apiVersion/kind with no schema is one. */
export async function validateObject(object: K8sObject): Promise<string[]> {
  const model = await modelFor(object.apiVersion, object.kind);
  if (!model) return [`no schema for ${object.apiVersion} ${object.kind}`];
  return validateStrictly(model, asTheApiServerReadsIt(object)).map(
    (p) => `${object.kind}/${object.metadata?.name}: ${p}`,
  );
}

/**
 * kustomize wraps long base64 values of generated Secrets over several lines; the API server's base64 decoder
 * skips line breaks, the schema's "byte" format does not.
 */
function asTheApiServerReadsIt(object: K8sObject): K8sObject {
  if (object.kind !== "Secret" || !object.data) return object;
  const data = Object.fromEntries(
    Object.entries(object.data as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, "")]),
  );
  return { ...object, data };
}
