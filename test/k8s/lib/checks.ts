/**
 * Checks of rendered manifests against each other and against the code. Each returns the problems it finds
 * (an empty list when all is well), so that a test can show that a broken manifest is caught.
 */
import {
  containersOf,
  find,
  imageRepository,
  isEmptySelector,
  jobPodTemplates,
  matchesSelector,
  ofKind,
  podTemplates,
  resolveEnv,
  resolvePort,
  secretKeys,
  workloads,
  type K8sObject,
  type Workload,
} from "./manifests.js";
import {
  configShapes,
  defaultOf,
  fileInPackage,
  requiredVariables,
  serviceByName,
  serviceNames,
  storeVariable,
} from "./code.js";

const APP_LABEL = "app.kubernetes.io/name";

/** The service (scripts/services.ts) whose pods a workload runs, if it runs one of ours. */
export const serviceOf = (w: Pick<Workload, "template">) => {
  const name = w.template?.metadata?.labels?.[APP_LABEL];
  return name && serviceNames.includes(name) ? name : undefined;
};

/** Workloads that run the pods of one of the nine services. */
export const appWorkloads = (objects: K8sObject[]) => workloads(objects).filter((w) => !w.templateOnly && serviceOf(w));

/** The container that runs the service (the one declaring its port); the others are init containers. */
export const mainContainer = (podSpec: any) =>
  podSpec?.containers?.find((c: any) => c.ports?.length) ?? podSpec?.containers?.[0];

/** Names whose values are credentials: they must come from a Secret. */
export const SECRET_NAME = /PASSWORD|SECRET|TOKEN|CREDENTIAL|PRIVATE|(^|_)KEYS?$/;
export const isCredentialUrl = (value: string) => {
  try {
    return new URL(value).password !== "";
  } catch {
    return false;
  }
};

const quantity = (value: string | number | undefined, kind: "cpu" | "memory"): number => {
  if (value === undefined) return NaN;
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(value));
  if (!match) return NaN;
  const units: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
  };
  const unit = units[match[2]!];
  return unit === undefined || (kind === "cpu" && match[2] !== "" && match[2] !== "m") ? NaN : Number(match[1]) * unit;
};
export const memoryBytes = (value: string | number | undefined) => quantity(value, "memory");

/** Pod hardening, resources and image references of every pod in an overlay (stores included). */
export function checkPods(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const w of [...podTemplates(objects), ...jobPodTemplates(objects)]) {
    const where = `${w.kind}/${w.name}`;
    const spec = w.template?.spec;
    if (!spec) {
      problems.push(`${where}: no pod template`);
      continue;
    }
    const pod = spec.securityContext ?? {};
    if (pod.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if (!(typeof pod.runAsUser === "number" && pod.runAsUser > 0)) problems.push(`${where}: no non-root runAsUser`);
    if (pod.seccompProfile?.type !== "RuntimeDefault") problems.push(`${where}: seccompProfile is not RuntimeDefault`);
    if (spec.automountServiceAccountToken !== false) problems.push(`${where}: mounts a service account token`);
    // Service links would add FOO_PORT=tcp://… variables nobody validates (and REDIS_PORT for a Service "redis").
    if (spec.enableServiceLinks !== false) problems.push(`${where}: enableServiceLinks is not false`);
    for (const host of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[host]) problems.push(`${where}: ${host}`);
    const volumes = new Set([
      ...(spec.volumes ?? []).map((v: any) => v.name),
      ...(w.object.spec?.volumeClaimTemplates ?? []).map((v: any) => v.metadata?.name),
    ]);
    for (const c of containersOf(spec)) {
      const at = `${where} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation is not false`);
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem is writable`);
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) problems.push(`${at}: capabilities not dropped`);
      if (sc.capabilities?.add?.length) problems.push(`${at}: adds capabilities`);
      if (sc.privileged) problems.push(`${at}: privileged`);
      if (sc.runAsUser === 0 || sc.runAsNonRoot === false) problems.push(`${at}: runs as root`);
      for (const kind of ["cpu", "memory"] as const) {
        const request = quantity(c.resources?.requests?.[kind], kind);
        const limit = quantity(c.resources?.limits?.[kind], kind);
        if (!(request > 0)) problems.push(`${at}: no ${kind} request`);
        if (!(limit > 0)) problems.push(`${at}: no ${kind} limit`);
        if (request > limit) problems.push(`${at}: ${kind} request above its limit`);
      }
      const image: string = c.image ?? "";
      const tag = /@sha256:[0-9a-f]{64}$/.test(image) ? "digest" : /:([^/:@]+)$/.exec(image)?.[1];
      if (!tag) problems.push(`${at}: image ${image} has neither a tag nor a digest`);
      else if (tag === "latest") problems.push(`${at}: image ${image} uses latest`);
      for (const mount of c.volumeMounts ?? [])
        if (!volumes.has(mount.name)) problems.push(`${at}: mounts ${mount.name}, which is no volume`);
    }
  }
  return problems;
}

function probeProblems(where: string, spec: any, container: any, port: number | undefined): string[] {
  const problems: string[] = [];
  for (const kind of ["startupProbe", "livenessProbe", "readinessProbe"]) {
    const probe = container[kind];
    if (!probe?.httpGet) {
      problems.push(`${where}: no HTTP ${kind}`);
      continue;
    }
    const probePort = resolvePort(spec, probe.httpGet.port);
    if (probePort === undefined) problems.push(`${where}: ${kind} port ${probe.httpGet.port} is no container port`);
    else if (probePort !== port)
      problems.push(`${where}: ${kind} on port ${probePort}, the service listens on ${port}`);
    if (!String(probe.httpGet.path ?? "").startsWith("/")) problems.push(`${where}: ${kind} has no path`);
  }
  return problems;
}

/**
 * The manifests of each service agree with its code: the variables it reads (src/config.ts), the stores it uses
 * (scripts/services.ts), its port, its migrations, how long it drains.
 */
export function checkServicesAgainstCode(
  objects: K8sObject[],
  secretValue: (name: string, key: string) => string | undefined = () => undefined,
): string[] {
  const problems: string[] = [];
  const running = appWorkloads(objects);
  for (const name of serviceNames) {
    const count = running.filter((w) => serviceOf(w) === name).length;
    if (count !== 1) problems.push(`${name}: ${count} workloads run it (expected 1)`);
  }
  for (const w of running) {
    const name = serviceOf(w)!;
    const shape = configShapes[name]!;
    const where = `${w.kind}/${w.name} (${name})`;
    const spec = w.template!.spec;
    const main = mainContainer(spec);
    for (const c of containersOf(spec))
      if (!imageRepository(c.image ?? "").endsWith(`/${name}`) && imageRepository(c.image ?? "") !== name)
        problems.push(`${where}: container ${c.name} runs ${c.image}, not the ${name} image`);

    const resolved = resolveEnv(main, objects, secretValue);
    problems.push(...resolved.problems.map((p) => `${where}: ${p}`));
    const env = resolved.env;
    for (const key of Object.keys(env))
      if (!(key in shape)) problems.push(`${where}: sets ${key}, which ${name}'s config does not read`);
    for (const key of requiredVariables(shape))
      if (!(key in env)) problems.push(`${where}: does not set ${key}, which ${name} requires`);
    for (const kind of serviceByName(name)!.stores) {
      const key = storeVariable[kind];
      if (resolved.source[key] !== "secret") problems.push(`${where}: ${key} (${kind}) does not come from a Secret`);
    }
    for (const [key, value] of Object.entries(env)) {
      if (resolved.source[key] !== "secret" && (SECRET_NAME.test(key) || isCredentialUrl(value)))
        problems.push(`${where}: ${key} is not from a Secret; credentials come from Secrets`);
      const known = resolved.source[key] !== "secret" || value !== "";
      if (known && key in shape && !shape[key]!.safeParse(value).success)
        problems.push(
          `${where}: ${key}=${resolved.source[key] === "secret" ? "<secret>" : value} is refused by ${name}'s config`,
        );
    }

    // Where it listens: all addresses (HOST), on the port the pod declares and the probes call.
    const host = (env.HOST ?? defaultOf(shape, "HOST")) as string;
    if (host !== "0.0.0.0" && host !== "::")
      problems.push(`${where}: HOST=${host} does not listen on the pod's address`);
    const port = Number(env.PORT ?? defaultOf(shape, "PORT"));
    if (resolvePort(spec, port) === undefined)
      problems.push(`${where}: listens on ${port}, which no container port declares`);
    problems.push(...probeProblems(where, spec, main, port));

    // Terminating: endpoints drop the pod during preStop, then SIGTERM drains for SHUTDOWN_GRACE_MS.
    const drainSeconds = Number(env.SHUTDOWN_GRACE_MS ?? defaultOf(shape, "SHUTDOWN_GRACE_MS")) / 1000;
    const preStop = Number(main.lifecycle?.preStop?.sleep?.seconds ?? 0);
    const grace = spec.terminationGracePeriodSeconds ?? 30;
    if (!(grace >= preStop + drainSeconds + 5))
      problems.push(
        `${where}: terminationGracePeriodSeconds ${grace} < preStop ${preStop} s + drain ${drainSeconds} s + 5 s`,
      );

    const spread = spec.topologySpreadConstraints ?? [];
    if (!spread.some((t: any) => t.topologyKey === "kubernetes.io/hostname"))
      problems.push(`${where}: pods not spread across nodes`);
    for (const t of spread)
      if (!matchesSelector(t.labelSelector, w.template!.metadata?.labels))
        problems.push(`${where}: topology spread on ${t.topologyKey} selects other pods`);

    // Migrations: a service that has them runs them before it serves, with the variables it reads.
    const migrates = fileInPackage(name, "src/db/migrate.ts");
    const init = (spec.initContainers ?? []).filter((c: any) =>
      [...(c.command ?? []), ...(c.args ?? [])].some((a: string) => a.endsWith(".ts")),
    );
    if (migrates && !init.some((c: any) => [...(c.command ?? []), ...(c.args ?? [])].includes("src/db/migrate.ts")))
      problems.push(`${where}: has migrations (src/db/migrate.ts) that no init container runs`);
    for (const c of init) {
      for (const script of [...(c.command ?? []), ...(c.args ?? [])].filter((a: string) => a.endsWith(".ts")))
        if (!fileInPackage(name, script))
          problems.push(`${where}: init container ${c.name} runs ${script}, which ${name} lacks`);
      const initEnv = resolveEnv(c, objects, secretValue);
      problems.push(...initEnv.problems.map((p) => `${where} init ${c.name}: ${p}`));
      for (const key of Object.keys(initEnv.env))
        if (!(key in shape))
          problems.push(`${where}: init container ${c.name} sets ${key}, which ${name} does not read`);
    }
  }
  return problems;
}

/** Every reference from one object to another names something that exists and fits. */
export function checkWiring(objects: K8sObject[], customMetrics: Set<string>): string[] {
  const problems: string[] = [];
  const all = workloads(objects);
  const pods = [...podTemplates(objects), ...jobPodTemplates(objects)];
  const podsSelectedBy = (selector: any) => pods.filter((w) => matchesSelector(selector, w.template?.metadata?.labels));

  for (const w of all) {
    if (w.kind === "Rollout" && w.object.spec?.workloadRef) {
      const ref = w.object.spec.workloadRef;
      const target = find(objects, ref.kind, ref.name);
      if (!target) problems.push(`Rollout/${w.name}: workloadRef names no ${ref.kind} ${ref.name}`);
      else if (JSON.stringify(target.spec?.selector) !== JSON.stringify(w.selector))
        problems.push(`Rollout/${w.name}: selector differs from ${ref.kind}/${ref.name}'s`);
      else if (target.spec?.replicas !== 0) problems.push(`Rollout/${w.name}: ${ref.kind}/${ref.name} also runs pods`);
    }
    if (!w.template) continue;
    if (!matchesSelector(w.selector, w.template.metadata?.labels))
      problems.push(`${w.kind}/${w.name}: selector does not match its own pod labels`);
    const sa = w.template.spec?.serviceAccountName;
    if (!sa || !find(objects, "ServiceAccount", sa))
      problems.push(`${w.kind}/${w.name}: service account ${sa ?? "(default)"} is not declared`);
    for (const volume of w.template.spec?.volumes ?? []) {
      if (volume.configMap && !find(objects, "ConfigMap", volume.configMap.name))
        problems.push(`${w.kind}/${w.name}: volume ${volume.name} names no ConfigMap ${volume.configMap.name}`);
      if (volume.secret && !secretKeys(objects, volume.secret.secretName))
        problems.push(`${w.kind}/${w.name}: volume ${volume.name} names no Secret ${volume.secret.secretName}`);
    }
    for (const c of containersOf(w.template.spec))
      problems.push(...resolveEnv(c, objects, () => "").problems.map((p) => `${w.kind}/${w.name} ${c.name}: ${p}`));
  }
  for (const w of pods)
    if (pods.some((o) => o !== w && matchesSelector(w.selector, o.template?.metadata?.labels)))
      problems.push(`${w.kind}/${w.name}: its selector also matches another workload's pods`);

  for (const s of ofKind(objects, "Service")) {
    const selected = podsSelectedBy(s.spec?.selector ? { matchLabels: s.spec.selector } : undefined);
    if (!selected.length) {
      problems.push(`Service/${s.metadata.name}: selector matches no pods`);
      continue;
    }
    for (const port of s.spec.ports ?? [])
      for (const w of selected)
        if (resolvePort(w.template!.spec, port.targetPort ?? port.port) === undefined)
          problems.push(
            `Service/${s.metadata.name}: targetPort ${port.targetPort} is no container port of ${w.kind}/${w.name}`,
          );
  }
  for (const w of ofKind(objects, "StatefulSet")) {
    const service = find(objects, "Service", w.spec?.serviceName);
    if (!service || !matchesSelector({ matchLabels: service.spec?.selector }, w.spec?.template?.metadata?.labels))
      problems.push(`StatefulSet/${w.metadata.name}: serviceName ${w.spec?.serviceName} is no Service of its pods`);
  }

  const hpaTargets = new Map<string, string>();
  for (const hpa of ofKind(objects, "HorizontalPodAutoscaler")) {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    const at = `HorizontalPodAutoscaler/${hpa.metadata.name}`;
    const target = all.find((w) => w.kind === ref.kind && w.name === ref.name);
    const group = (ref.apiVersion ?? "").split("/")[0];
    if (!target) problems.push(`${at}: scales no ${ref.kind} ${ref.name}`);
    else {
      if (target.object.apiVersion.split("/")[0] !== group)
        problems.push(`${at}: apiVersion ${ref.apiVersion} of ${ref.kind}/${ref.name} is wrong`);
      if (target.templateOnly) problems.push(`${at}: scales ${ref.kind}/${ref.name}, whose pods a Rollout runs`);
      if (target.object.spec?.replicas !== undefined) problems.push(`${at}: ${ref.kind}/${ref.name} sets replicas too`);
    }
    const key = `${ref.kind}/${ref.name}`;
    if (hpaTargets.has(key)) problems.push(`${at}: ${key} is also scaled by ${hpaTargets.get(key)}`);
    hpaTargets.set(key, hpa.metadata.name);
    if (!(hpa.spec.minReplicas <= hpa.spec.maxReplicas)) problems.push(`${at}: minReplicas above maxReplicas`);
    const kinds = (hpa.spec.metrics ?? []).map((m: any) => m.type);
    if (!kinds.includes("Resource")) problems.push(`${at}: does not scale on CPU`);
    for (const metric of hpa.spec.metrics ?? []) {
      const name = metric.pods?.metric?.name ?? metric.object?.metric?.name ?? metric.external?.metric?.name;
      if (name && !customMetrics.has(name))
        problems.push(`${at}: metric ${name} is served by no prometheus-adapter rule`);
    }
    if (!kinds.some((k: string) => k !== "Resource")) problems.push(`${at}: scales on no metric the service emits`);
  }

  for (const pdb of ofKind(objects, "PodDisruptionBudget")) {
    const at = `PodDisruptionBudget/${pdb.metadata.name}`;
    const selected = podsSelectedBy(pdb.spec?.selector);
    if (!selected.length) problems.push(`${at}: selects no pods`);
    const minAvailable = pdb.spec?.minAvailable;
    const maxUnavailable = pdb.spec?.maxUnavailable;
    if (maxUnavailable !== undefined && !(Number.parseInt(String(maxUnavailable)) > 0))
      problems.push(`${at}: maxUnavailable ${maxUnavailable} blocks every eviction`);
    for (const hpa of ofKind(objects, "HorizontalPodAutoscaler")) {
      const target = all.find(
        (w) => w.kind === hpa.spec.scaleTargetRef.kind && w.name === hpa.spec.scaleTargetRef.name,
      );
      if (target && selected.some((p) => matchesSelector(target.selector, p.template?.metadata?.labels)))
        if (typeof minAvailable === "number" && minAvailable >= hpa.spec.minReplicas)
          problems.push(`${at}: minAvailable ${minAvailable} blocks evictions at ${hpa.spec.minReplicas} replicas`);
    }
  }

  for (const policy of ofKind(objects, "NetworkPolicy")) {
    const at = `NetworkPolicy/${policy.metadata.name}`;
    const spec = policy.spec ?? {};
    if (!isEmptySelector(spec.podSelector) && !podsSelectedBy(spec.podSelector).length)
      problems.push(`${at}: applies to no pods`);
    for (const [direction, rules] of [
      ["from", spec.ingress ?? []],
      ["to", spec.egress ?? []],
    ] as const)
      for (const rule of rules)
        for (const peer of rule[direction] ?? [])
          if (
            peer.podSelector &&
            !peer.namespaceSelector &&
            !isEmptySelector(peer.podSelector) &&
            !podsSelectedBy(peer.podSelector).length
          )
            problems.push(`${at}: ${direction} selects no pods`);
    for (const rule of spec.ingress ?? [])
      for (const port of rule.ports ?? [])
        if (typeof port.port === "string")
          for (const w of isEmptySelector(spec.podSelector) ? [] : podsSelectedBy(spec.podSelector))
            if (resolvePort(w.template!.spec, port.port) === undefined)
              problems.push(`${at}: port ${port.port} is no port of ${w.kind}/${w.name}`);
  }

  for (const ingress of ofKind(objects, "Ingress")) {
    const at = `Ingress/${ingress.metadata.name}`;
    for (const rule of ingress.spec?.rules ?? [])
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        const service = find(objects, "Service", backend?.name);
        if (!service) problems.push(`${at}: ${path.path} goes to no Service ${backend?.name}`);
        else if (
          !(service.spec.ports ?? []).some((p: any) => p.name === backend.port?.name || p.port === backend.port?.number)
        )
          problems.push(`${at}: Service ${backend.name} has no port ${backend.port?.name ?? backend.port?.number}`);
      }
    for (const tls of ingress.spec?.tls ?? [])
      if (!secretKeys(objects, tls.secretName) && !ingress.metadata.annotations?.["cert-manager.io/cluster-issuer"])
        problems.push(`${at}: TLS Secret ${tls.secretName} is neither declared nor issued by cert-manager`);
  }

  for (const monitor of ofKind(objects, "PodMonitor")) {
    const at = `PodMonitor/${monitor.metadata.name}`;
    const selected = podsSelectedBy(monitor.spec?.selector);
    if (!selected.length) problems.push(`${at}: selects no pods`);
    for (const endpoint of monitor.spec?.podMetricsEndpoints ?? [])
      for (const w of selected)
        if (resolvePort(w.template!.spec, endpoint.port) === undefined)
          problems.push(`${at}: port ${endpoint.port} is no port of ${w.kind}/${w.name}`);
  }

  for (const external of ofKind(objects, "ExternalSecret")) {
    const ref = external.spec?.secretStoreRef;
    if (!find(objects, ref?.kind ?? "SecretStore", ref?.name))
      problems.push(`ExternalSecret/${external.metadata.name}: no ${ref?.kind ?? "SecretStore"} ${ref?.name}`);
  }
  for (const store of ofKind(objects, "SecretStore")) {
    const sa = store.spec?.provider?.vault?.auth?.kubernetes?.serviceAccountRef?.name;
    if (sa && !find(objects, "ServiceAccount", sa))
      problems.push(`SecretStore/${store.metadata.name}: no ServiceAccount ${sa}`);
  }

  for (const rollout of ofKind(objects, "Rollout")) {
    const at = `Rollout/${rollout.metadata.name}`;
    const canary = rollout.spec?.strategy?.canary;
    const analysis = [canary?.analysis, ...(canary?.steps ?? []).map((s: any) => s.analysis)].filter(Boolean);
    for (const a of analysis) {
      const given = new Set((a.args ?? []).map((arg: any) => arg.name));
      for (const ref of a.templates ?? []) {
        const template = find(
          objects,
          ref.clusterScope ? "ClusterAnalysisTemplate" : "AnalysisTemplate",
          ref.templateName,
        );
        if (!template) {
          problems.push(`${at}: no AnalysisTemplate ${ref.templateName}`);
          continue;
        }
        for (const arg of template.spec?.args ?? [])
          if (arg.value === undefined && !arg.valueFrom && !given.has(arg.name))
            problems.push(`${at}: gives AnalysisTemplate ${ref.templateName} no ${arg.name}`);
      }
    }
  }
  for (const template of ofKind(objects, "AnalysisTemplate")) {
    const declared = new Set((template.spec?.args ?? []).map((a: any) => a.name));
    for (const used of JSON.stringify(template.spec?.metrics ?? []).matchAll(/\{\{\s*args\.([\w-]+)\s*\}\}/g))
      if (!declared.has(used[1]))
        problems.push(`AnalysisTemplate/${template.metadata.name}: uses undeclared arg ${used[1]}`);
  }
  return problems;
}

/** An Ingress path that would route `path` (Exact, or Prefix by whole segments). */
export function ingressRoutes(objects: K8sObject[], path: string) {
  return ofKind(objects, "Ingress").flatMap((ingress) =>
    (ingress.spec?.rules ?? []).flatMap((rule: any) =>
      (rule.http?.paths ?? []).filter((p: any) => {
        if (p.pathType === "Exact") return p.path === path;
        const prefix = String(p.path).replace(/\/+$/, "");
        return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
      }),
    ),
  );
}

/** Only the router is exposed, and only its GraphQL endpoint (and GraphiQL where it is served). */
/**
 * What the public may reach besides the router: the orders service's payment routes (a provider's
 * signed webhook, the sandbox payment page), and nothing else of any subgraph.
 */
const PUBLIC_SUBGRAPH_PATHS: Record<string, string> = { "/payments": "orders" };

export function checkExposure(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const ingress of ofKind(objects, "Ingress"))
    for (const rule of ingress.spec?.rules ?? [])
      for (const p of rule.http?.paths ?? [])
        if (p.backend?.service?.name !== "router" && PUBLIC_SUBGRAPH_PATHS[p.path] !== p.backend?.service?.name)
          problems.push(`Ingress/${ingress.metadata.name}: exposes Service ${p.backend?.service?.name} at ${p.path}`);
  if (!ingressRoutes(objects, "/graphql").length) problems.push("no Ingress routes /graphql");
  for (const internal of ["/metrics", "/health/live", "/health/ready"])
    if (ingressRoutes(objects, internal).length) problems.push(`an Ingress exposes ${internal}`);
  for (const service of ofKind(objects, "Service"))
    if (["NodePort", "LoadBalancer"].includes(service.spec?.type))
      problems.push(`Service/${service.metadata.name}: exposed as ${service.spec.type}`);
  return problems;
}

/** Metric names a PromQL expression selects (`name{…}`; every selector in these manifests has braces). */
export const promqlMetrics = (query: string) =>
  [...query.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)]
    .map((m) => m[1]!)
    .filter((n) => n !== "by" && n !== "without");

/** The series a metric family exports (a histogram's _bucket, _count and _sum). */
export function seriesOf(families: { name: string; type: string }[]): Set<string> {
  const series = new Set<string>();
  for (const { name, type } of families) {
    series.add(name);
    if (type === "histogram" || type === "summary" || type === "HISTOGRAM" || type === "SUMMARY")
      for (const suffix of ["_bucket", "_count", "_sum"]) series.add(name + suffix);
  }
  return series;
}

/** The canary of every service is analysed on metrics the services export, and rolls back when they fail. */
export function checkProgressiveDelivery(objects: K8sObject[], exported: Set<string>): string[] {
  const problems: string[] = [];
  const rollouts = ofKind(objects, "Rollout");
  for (const w of appWorkloads(objects))
    if (w.kind !== "Rollout") problems.push(`${serviceOf(w)}: runs as a ${w.kind}, not an Argo Rollout`);
  for (const rollout of rollouts) {
    const at = `Rollout/${rollout.metadata.name}`;
    const canary = rollout.spec?.strategy?.canary;
    if (!canary) {
      problems.push(`${at}: no canary strategy`);
      continue;
    }
    const steps = canary.steps ?? [];
    if (!steps.some((s: any) => s.pause)) problems.push(`${at}: no pause between steps`);
    if (!steps.some((s: any) => s.setWeight !== undefined && s.setWeight < 100))
      problems.push(`${at}: no partial step`);
    if (!canary.analysis && !steps.some((s: any) => s.analysis)) problems.push(`${at}: no analysis`);
  }
  for (const template of ofKind(objects, "AnalysisTemplate"))
    for (const metric of template.spec?.metrics ?? []) {
      const at = `AnalysisTemplate/${template.metadata.name} ${metric.name}`;
      const query = metric.provider?.prometheus?.query;
      if (!query) {
        problems.push(`${at}: not a Prometheus query`);
        continue;
      }
      if (!metric.successCondition && !metric.failureCondition) problems.push(`${at}: no condition`);
      if (metric.dryRun) problems.push(`${at}: dry run only`);
      const names = promqlMetrics(query);
      if (!names.length) problems.push(`${at}: selects no metric`);
      for (const name of names)
        if (!exported.has(name)) problems.push(`${at}: ${name} is not exported by the services`);
    }
  return problems;
}
