/**
 * A NetworkPolicy evaluator (the semantics of networking.k8s.io/v1: a pod selected by a policy of a type is
 * isolated for that direction, and then only what some rule allows gets through, on both ends), and the
 * connections the configuration says must work.
 */
import {
  containersOf,
  find,
  isEmptySelector,
  matchesSelector,
  ofKind,
  podTemplates,
  resolveEnv,
  resolvePort,
  type K8sObject,
  type Labels,
  type Selector,
} from "./manifests.js";

export interface Endpoint {
  id: string;
  /** Undefined for an address outside any cluster. */
  namespace?: string;
  namespaceLabels: Labels;
  labels: Labels;
  ip?: string;
  /** Ports it listens on (TCP unless said). */
  ports: { name?: string; port: number; protocol: string }[];
  /** In the rendered overlay's namespace, where its policies apply. */
  governed: boolean;
}

export const storePorts = { postgres: 5432, redis: 6379, mongodb: 27017 } as const;

/**
 * The port of the SMTP relay contact sends mail through: SMTP_PORT as its container's ConfigMaps give it
 * (not a secret: the NetworkPolicy must agree with it). Undefined when no contact pod sets it from config.
 */
export function smtpPort(objects: K8sObject[]): number | undefined {
  const contact = podTemplates(objects).find(
    (w) => w.template?.metadata?.labels?.["app.kubernetes.io/name"] === "contact",
  );
  for (const container of containersOf(contact?.template?.spec)) {
    const { env, source } = resolveEnv(container, objects, () => undefined);
    if (env.SMTP_PORT && source.SMTP_PORT !== "secret") return Number(env.SMTP_PORT);
  }
  return undefined;
}
const defaultPorts: Record<string, number> = {
  "http:": 80,
  "https:": 443,
  "postgres:": 5432,
  "postgresql:": 5432,
  "redis:": 6379,
  "rediss:": 6379,
  "mongodb:": 27017,
};

function namespaceOf(objects: K8sObject[]) {
  const namespace = ofKind(objects, "Namespace")[0];
  const name = namespace?.metadata.name ?? objects.find((o) => o.metadata.namespace)?.metadata.namespace ?? "default";
  return { name, labels: { ...(namespace?.metadata.labels ?? {}), "kubernetes.io/metadata.name": name } };
}

const ipToNumber = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
function inCidr(ip: string, cidr: string) {
  const [base, bits] = cidr.split("/");
  const size = 2 ** (32 - Number(bits ?? 32));
  const start = Math.floor(ipToNumber(base!) / size) * size;
  return ipToNumber(ip) >= start && ipToNumber(ip) < start + size;
}
const firstHost = (cidr: string) => {
  const [base] = cidr.split("/");
  const n = ipToNumber(base!) + 1;
  return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");
};

/** The pods of the overlay, and what surrounds them: ingress controller, Prometheus, DNS, strangers, addresses. */
export function endpoints(objects: K8sObject[]): Endpoint[] {
  const ns = namespaceOf(objects);
  const own: Endpoint[] = podTemplates(objects).map((w) => ({
    id: `${w.kind}/${w.name}`,
    namespace: ns.name,
    namespaceLabels: ns.labels,
    labels: w.template?.metadata?.labels ?? {},
    ports: (w.template?.spec?.containers ?? []).flatMap((c: any) =>
      (c.ports ?? []).map((p: any) => ({ name: p.name, port: p.containerPort, protocol: p.protocol ?? "TCP" })),
    ),
    governed: true,
  }));
  const other = (id: string, namespace: string, labels: Labels, ports: Endpoint["ports"] = []): Endpoint => ({
    id,
    namespace,
    namespaceLabels: { "kubernetes.io/metadata.name": namespace },
    labels,
    ports,
    governed: namespace === ns.name,
  });
  const cidrs = new Set<string>();
  for (const policy of ofKind(objects, "NetworkPolicy"))
    for (const rule of [...(policy.spec?.ingress ?? []), ...(policy.spec?.egress ?? [])])
      for (const peer of [...(rule.from ?? []), ...(rule.to ?? [])]) if (peer.ipBlock) cidrs.add(peer.ipBlock.cidr);
  return [
    ...own,
    other("stranger (unlabelled pod in the namespace)", ns.name, { run: "debug" }, [{ port: 8080, protocol: "TCP" }]),
    other("ingress controller", "ingress-nginx", { "app.kubernetes.io/name": "ingress-nginx" }, [
      { port: 80, protocol: "TCP" },
    ]),
    other("prometheus", "monitoring", { "app.kubernetes.io/name": "prometheus" }, [{ port: 9090, protocol: "TCP" }]),
    other("kube-dns", "kube-system", { "k8s-app": "kube-dns" }, [
      { port: 53, protocol: "UDP" },
      { port: 53, protocol: "TCP" },
    ]),
    other("pod in another namespace", "default", { app: "other" }, [{ port: 8080, protocol: "TCP" }]),
    ...[...cidrs, "203.0.113.0/24"].map((cidr) => ({
      id: `address ${firstHost(cidr)}`,
      namespaceLabels: {},
      labels: {},
      ip: firstHost(cidr),
      ports: [...new Set([...Object.values(storePorts), 443, 587, 25, 465, smtpPort(objects) ?? 587])].map((port) => ({
        port,
        protocol: "TCP",
      })),
      governed: false,
    })),
  ];
}

const selects = (selector: Selector | undefined, labels: Labels) =>
  isEmptySelector(selector) || matchesSelector(selector, labels);

function peerMatches(peers: any[] | undefined, endpoint: Endpoint, policyNamespace: string) {
  if (!peers?.length) return true;
  return peers.some((peer) => {
    if (peer.ipBlock)
      return (
        !!endpoint.ip &&
        inCidr(endpoint.ip, peer.ipBlock.cidr) &&
        !(peer.ipBlock.except ?? []).some((c: string) => inCidr(endpoint.ip!, c))
      );
    if (!endpoint.namespace) return false;
    const namespaceOk = peer.namespaceSelector
      ? selects(peer.namespaceSelector, endpoint.namespaceLabels)
      : endpoint.namespace === policyNamespace;
    const podOk = peer.podSelector ? selects(peer.podSelector, endpoint.labels) : true;
    return namespaceOk && podOk;
  });
}

function portMatches(ports: any[] | undefined, destination: Endpoint, port: number, protocol: string) {
  if (!ports?.length) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "number") return p.endPort ? port >= p.port && port <= p.endPort : port === p.port;
    return destination.ports.some((d) => d.name === p.port && d.port === port && d.protocol === protocol);
  });
}

const policyTypes = (policy: K8sObject): string[] =>
  policy.spec?.policyTypes ?? ["Ingress", ...(policy.spec?.egress ? ["Egress"] : [])];

export function createEvaluator(objects: K8sObject[]) {
  const policies = ofKind(objects, "NetworkPolicy");
  const ns = namespaceOf(objects).name;
  const applying = (endpoint: Endpoint, type: string) =>
    endpoint.governed
      ? policies.filter((p) => selects(p.spec?.podSelector, endpoint.labels) && policyTypes(p).includes(type))
      : [];
  return (source: Endpoint, destination: Endpoint, port: number, protocol = "TCP") => {
    const ingress = applying(destination, "Ingress");
    const ingressOk =
      !ingress.length ||
      ingress.some((p) =>
        (p.spec?.ingress ?? []).some(
          (rule: any) =>
            peerMatches(rule.from, source, p.metadata.namespace ?? ns) &&
            portMatches(rule.ports, destination, port, protocol),
        ),
      );
    const egress = applying(source, "Egress");
    const egressOk =
      !egress.length ||
      egress.some((p) =>
        (p.spec?.egress ?? []).some(
          (rule: any) =>
            peerMatches(rule.to, destination, p.metadata.namespace ?? ns) &&
            portMatches(rule.ports, destination, port, protocol),
        ),
      );
    return ingressOk && egressOk;
  };
}

export const connection = (source: Endpoint, destination: Endpoint, port: number, protocol = "TCP") =>
  `${source.id} -> ${destination.id}:${port}/${protocol}`;

/** Every connection the policies allow between endpoints of which at least one is governed by them. */
export function allowedConnections(objects: K8sObject[], eps = endpoints(objects)): Set<string> {
  const allowed = createEvaluator(objects);
  const result = new Set<string>();
  for (const source of eps)
    for (const destination of eps) {
      if (source === destination || (!source.governed && !destination.governed)) continue;
      for (const { port, protocol } of [...destination.ports, { port: 65000, protocol: "TCP" }])
        if (allowed(source, destination, port, protocol)) result.add(connection(source, destination, port, protocol));
    }
  return result;
}

/**
 * The connections the configuration needs: every URL a container is given that names a Service of the overlay
 * (the router's subgraph URLs, the JWKS URL, the store URLs in the dev Secrets), the calls that `peers` declare,
 * the Ingress to its backends, Prometheus to what the PodMonitors scrape, and DNS for every pod.
 */
export function neededConnections(
  objects: K8sObject[],
  secretValue: (name: string, key: string) => string | undefined,
  peers: [from: string, to: string][],
  eps = endpoints(objects),
): Set<string> {
  const ns = namespaceOf(objects).name;
  const needed = new Set<string>();
  const byId = new Map(eps.map((e) => [e.id, e]));
  const pods = podTemplates(objects);
  const serviceTargets = (serviceName: string, port?: number) => {
    const service = find(objects, "Service", serviceName);
    if (!service) return [];
    const entries = (service.spec?.ports ?? []).filter((p: any) => port === undefined || p.port === port);
    return pods
      .filter((w) => matchesSelector({ matchLabels: service.spec?.selector }, w.template?.metadata?.labels))
      .flatMap((w) =>
        entries.map((entry: any) => ({
          endpoint: byId.get(`${w.kind}/${w.name}`)!,
          port: resolvePort(w.template!.spec, entry.targetPort ?? entry.port)!,
        })),
      )
      .filter((t) => t.endpoint && t.port !== undefined);
  };
  const serviceNamed = (host: string) => {
    for (const suffix of ["", `.${ns}`, `.${ns}.svc`, `.${ns}.svc.cluster.local`])
      if (host.endsWith(suffix) && find(objects, "Service", host.slice(0, host.length - suffix.length)))
        return host.slice(0, host.length - suffix.length);
    return undefined;
  };

  for (const w of pods) {
    const source = byId.get(`${w.kind}/${w.name}`)!;
    const dns = byId.get("kube-dns")!;
    for (const { port, protocol } of dns.ports) needed.add(connection(source, dns, port, protocol));
    for (const container of containersOf(w.template?.spec)) {
      const { env } = resolveEnv(container, objects, secretValue);
      for (const value of Object.values(env))
        for (const candidate of value.split(",")) {
          let url: URL;
          try {
            url = new URL(candidate.trim());
          } catch {
            continue;
          }
          const service = serviceNamed(url.hostname);
          if (!service) continue;
          const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
          for (const target of serviceTargets(service, port))
            if (target.endpoint !== source) needed.add(connection(source, target.endpoint, target.port));
        }
    }
  }
  for (const [from, to] of peers) {
    const source = eps.find((e) => e.governed && e.labels["app.kubernetes.io/name"] === from);
    if (source) for (const target of serviceTargets(to)) needed.add(connection(source, target.endpoint, target.port));
  }
  const stranger = byId.get("stranger (unlabelled pod in the namespace)")!;
  for (const { port, protocol } of byId.get("kube-dns")!.ports)
    needed.add(connection(stranger, byId.get("kube-dns")!, port, protocol));
  for (const ingress of ofKind(objects, "Ingress"))
    for (const rule of ingress.spec?.rules ?? [])
      for (const path of rule.http?.paths ?? []) {
        const backend = path.backend?.service;
        const port = find(objects, "Service", backend?.name)?.spec?.ports?.find(
          (p: any) => p.name === backend?.port?.name || p.port === backend?.port?.number,
        )?.port;
        for (const target of serviceTargets(backend?.name, port))
          needed.add(connection(byId.get("ingress controller")!, target.endpoint, target.port));
      }
  for (const monitor of ofKind(objects, "PodMonitor"))
    for (const w of pods.filter((p) => matchesSelector(monitor.spec?.selector, p.template?.metadata?.labels)))
      for (const endpoint of monitor.spec?.podMetricsEndpoints ?? []) {
        const port = resolvePort(w.template!.spec, endpoint.port);
        if (port !== undefined) needed.add(connection(byId.get("prometheus")!, byId.get(`${w.kind}/${w.name}`)!, port));
      }
  return needed;
}

/**
 * Where a URL given to a container goes when its host names a Service of the overlay: the Service and the
 * container port of its pods that the URL's port reaches (as cluster DNS and kube-proxy would take it).
 */
export function clusterTarget(objects: K8sObject[], value: string): { service: string; port: number } | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  const ns = namespaceOf(objects).name;
  for (const suffix of ["", `.${ns}`, `.${ns}.svc`, `.${ns}.svc.cluster.local`]) {
    if (!url.hostname.endsWith(suffix)) continue;
    const service = find(objects, "Service", url.hostname.slice(0, url.hostname.length - suffix.length));
    if (!service) continue;
    const port = url.port ? Number(url.port) : defaultPorts[url.protocol];
    const entry = (service.spec?.ports ?? []).find((p: any) => p.port === port);
    const pod = podTemplates(objects).find((w) =>
      matchesSelector({ matchLabels: service.spec?.selector }, w.template?.metadata?.labels),
    );
    const target = entry && pod ? resolvePort(pod.template!.spec, entry.targetPort ?? entry.port) : undefined;
    return target === undefined ? undefined : { service: service.metadata.name, port: target };
  }
  return undefined;
}
