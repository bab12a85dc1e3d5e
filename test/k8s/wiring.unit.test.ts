import { beforeAll, describe, expect, it } from "vitest";
import { clone, find, ofKind, overlays, renderOverlays, type K8sObject } from "./lib/manifests.js";
import { checkProgressiveDelivery, checkWiring, promqlMetrics } from "./lib/checks.js";
import { adapterMetrics, exportedSeries } from "./lib/metrics.js";

const rendered = renderOverlays();
const custom = adapterMetrics();
const customNames = new Set(custom.keys());
let exported: Set<string>;
beforeAll(async () => {
  exported = await exportedSeries();
});

const mutate = (objects: K8sObject[], change: (copy: K8sObject[]) => void) => {
  const copy = clone(objects);
  change(copy);
  return copy;
};

describe.each(overlays)("the %s overlay", (overlay) => {
  const objects = rendered[overlay];

  it("references only what exists: ports, selectors, scale targets, budgets, policies, config, secrets, templates", () => {
    expect(checkWiring(objects, customNames)).toEqual([]);
  });

  it("autoscales every service on CPU and on a metric the services export", () => {
    const hpas = ofKind(objects, "HorizontalPodAutoscaler");
    expect(hpas.map((h) => h.spec.scaleTargetRef.name).sort()).toEqual(
      ["auth", "cart", "contact", "orders", "products", "reviews", "router", "users", "wishlist"].sort(),
    );
    for (const hpa of hpas)
      for (const metric of hpa.spec.metrics.filter((m: any) => m.type === "Pods")) {
        const sources = custom.get(metric.pods.metric.name);
        expect(sources?.length, `${metric.pods.metric.name} has a prometheus-adapter rule`).toBeGreaterThan(0);
        for (const series of sources!) expect(exported, `${series} is exported`).toContain(series);
      }
  });
});

describe("the prod overlay", () => {
  const prod = rendered.prod;

  it("runs every service as an Argo Rollouts canary with pauses, analysed on metrics the services export", () => {
    expect(checkProgressiveDelivery(prod, exported)).toEqual([]);
  });

  it("reads every Secret from Vault through ExternalSecrets, none as a Secret object", () => {
    expect(ofKind(prod, "Secret")).toEqual([]);
    expect(ofKind(prod, "ExternalSecret").length).toBeGreaterThan(0);
  });
});

describe("the checks catch broken wiring", () => {
  const dev = rendered.dev;
  const prod = rendered.prod;

  it("a Service targetPort with no container port, a selector matching nothing", () => {
    const broken = mutate(dev, (o) => {
      find(o, "Service", "cart")!.spec.ports[0].targetPort = "metrics";
      find(o, "Service", "users")!.spec.selector = { "app.kubernetes.io/name": "user" };
    });
    expect(checkWiring(broken, customNames)).toEqual(
      expect.arrayContaining([
        "Service/cart: targetPort metrics is no container port of Deployment/cart",
        "Service/users: selector matches no pods",
      ]),
    );
  });

  it("an HPA naming a missing Deployment or an unserved metric, a PDB selecting nothing", () => {
    const broken = mutate(dev, (o) => {
      find(o, "HorizontalPodAutoscaler", "orders")!.spec.scaleTargetRef.name = "order";
      find(o, "HorizontalPodAutoscaler", "cart")!.spec.metrics[1].pods.metric.name = "checkouts_per_second";
      find(o, "PodDisruptionBudget", "reviews")!.spec.selector.matchLabels["app.kubernetes.io/name"] = "review";
    });
    expect(checkWiring(broken, customNames)).toEqual(
      expect.arrayContaining([
        "HorizontalPodAutoscaler/orders: scales no Deployment order",
        "HorizontalPodAutoscaler/cart: metric checkouts_per_second is served by no prometheus-adapter rule",
        "PodDisruptionBudget/reviews: selects no pods",
      ]),
    );
  });

  it("a secret key nobody provides, a ConfigMap that does not exist, a missing service account", () => {
    const broken = mutate(dev, (o) => {
      const spec = find(o, "Deployment", "contact")!.spec.template.spec;
      spec.containers[0].env.find((e: any) => e.name === "MONGODB_URL").valueFrom.secretKeyRef.key = "MONGO_URL";
      spec.containers[0].envFrom.push({ configMapRef: { name: "contact-settings" } });
      spec.serviceAccountName = "mailer";
    });
    expect(checkWiring(broken, customNames)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Deployment\/contact contact: MONGODB_URL: Secret contact-secrets-\w+ has no key MONGO_URL$/,
        ),
        "Deployment/contact contact: envFrom: no ConfigMap contact-settings",
        "Deployment/contact: service account mailer is not declared",
      ]),
    );
    const prodBroken = mutate(prod, (o) => {
      const external = find(o, "ExternalSecret", "auth-secrets")!;
      external.spec.data = external.spec.data.filter((d: any) => d.secretKey !== "AUTH_SIGNING_KEYS");
    });
    expect(checkWiring(prodBroken, customNames)).toEqual(
      expect.arrayContaining([
        "Rollout/auth auth: AUTH_SIGNING_KEYS: Secret auth-secrets has no key AUTH_SIGNING_KEYS",
      ]),
    );
  });

  it("a NetworkPolicy for pods that do not exist, a named port nobody declares", () => {
    const broken = mutate(dev, (o) => {
      find(o, "NetworkPolicy", "products")!.spec.podSelector.matchLabels["app.kubernetes.io/name"] = "product";
      find(o, "NetworkPolicy", "cart")!.spec.ingress[0].ports[0].port = "graphql";
    });
    expect(checkWiring(broken, customNames)).toEqual(
      expect.arrayContaining([
        "NetworkPolicy/products: applies to no pods",
        "NetworkPolicy/cart: port graphql is no port of Deployment/cart",
      ]),
    );
  });

  it("a Rollout naming a missing Deployment or AnalysisTemplate, an analysis on a metric nobody exports", () => {
    const broken = mutate(prod, (o) => {
      find(o, "Rollout", "users")!.spec.workloadRef.name = "user";
      find(o, "Rollout", "cart")!.spec.strategy.canary.analysis.templates[0].templateName = "health";
      const template = find(o, "AnalysisTemplate", "service-health")!;
      template.spec.metrics[0].provider.prometheus.query =
        template.spec.metrics[0].provider.prometheus.query.replaceAll(
          "http_request_duration_seconds_count",
          "http_requests_total",
        );
    });
    expect(checkWiring(broken, customNames)).toEqual(
      expect.arrayContaining([
        "Rollout/users: workloadRef names no Deployment user",
        "Rollout/cart: no AnalysisTemplate health",
      ]),
    );
    expect(checkProgressiveDelivery(broken, exported)).toEqual(
      expect.arrayContaining([
        "AnalysisTemplate/service-health http-error-rate: http_requests_total is not exported by the services",
      ]),
    );
  });

  it("an HPA still scaling a Deployment whose pods a Rollout runs", () => {
    const broken = mutate(prod, (o) => {
      const ref = find(o, "HorizontalPodAutoscaler", "router")!.spec.scaleTargetRef;
      Object.assign(ref, { apiVersion: "apps/v1", kind: "Deployment" });
    });
    expect(checkWiring(broken, customNames)).toEqual(
      expect.arrayContaining(["HorizontalPodAutoscaler/router: scales Deployment/router, whose pods a Rollout runs"]),
    );
  });

  it("reads metric names out of PromQL", () => {
    expect(promqlMetrics('sum by (le) (rate(a_bucket{x="1"}[5m])) / sum(rate(b_count{y=~"2"}[5m]))')).toEqual([
      "a_bucket",
      "b_count",
    ]);
  });
});
