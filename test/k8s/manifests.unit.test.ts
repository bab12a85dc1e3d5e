import { describe, expect, it } from "vitest";
import { clone, find, ofKind, overlays, renderOverlays, renderedSecretValue, type K8sObject } from "./lib/manifests.js";
import { validateObject } from "./lib/validate.js";
import { appWorkloads, checkExposure, checkPods, checkServicesAgainstCode, mainContainer } from "./lib/checks.js";

const rendered = renderOverlays();
const secretValues = { dev: renderedSecretValue(rendered.dev), prod: () => undefined };

/** A copy of an overlay's objects with `change` applied to the Deployment of `service`. */
function withDeployment(objects: K8sObject[], service: string, change: (spec: any) => void) {
  const copy = clone(objects);
  change(find(copy, "Deployment", service)!.spec.template.spec);
  return copy;
}

describe.each(overlays)("the %s overlay", (overlay) => {
  const objects = rendered[overlay];

  it("renders with kubectl kustomize, every object in one namespace", () => {
    expect(objects.length).toBeGreaterThan(50);
    const namespaces = new Set(objects.filter((o) => o.kind !== "Namespace").map((o) => o.metadata.namespace));
    expect([...namespaces]).toEqual(["flores-victoria"]);
    expect(ofKind(objects, "Namespace").map((n) => n.metadata.name)).toEqual(["flores-victoria"]);
  });

  it("validates every object against the Kubernetes and CRD schemas, with no unknown field", async () => {
    const problems = (await Promise.all(objects.map(validateObject))).flat();
    expect(problems).toEqual([]);
  });

  it("runs every pod hardened (restricted Pod Security Standard), with requests, limits and pinned images", () => {
    expect(checkPods(objects)).toEqual([]);
    expect(find(objects, "Namespace", "flores-victoria")!.metadata.labels?.["pod-security.kubernetes.io/enforce"]).toBe(
      "restricted",
    );
  });

  it("gives each service the variables its config reads, from where they belong, listening where its probes call", () => {
    expect(checkServicesAgainstCode(objects, secretValues[overlay])).toEqual([]);
  });

  it("exposes only the router's GraphQL endpoint and the payment routes of orders", () => {
    expect(checkExposure(objects)).toEqual([]);
  });
});

describe("the checks catch a broken manifest", () => {
  const dev = rendered.dev;

  it("a misspelt field, a wrong type, an object without a schema", async () => {
    const deployment = clone(find(dev, "Deployment", "cart")!);
    deployment.spec.template.spec.containers[0].readinessProbes =
      deployment.spec.template.spec.containers[0].readinessProbe;
    expect(await validateObject(deployment)).toEqual([expect.stringMatching(/unknown field .*readinessProbes/)]);
    deployment.spec.template.spec.containers[0].ports[0].containerPort = "4005";
    expect((await validateObject(deployment)).join()).toMatch(/containerPort must be integer/);
    expect(await validateObject({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })).toEqual([
      "no schema for example.com/v1 Widget",
    ]);
  });

  it("a container running as root, writable, with capabilities, unbounded, on latest", () => {
    const broken = withDeployment(dev, "cart", (spec) => {
      delete spec.securityContext.runAsNonRoot;
      const c = spec.containers[0];
      c.securityContext = { readOnlyRootFilesystem: false };
      delete c.resources.limits;
      c.image = "registry.example.com/flores-victoria/cart:latest";
    });
    expect(checkPods(broken)).toEqual(
      expect.arrayContaining([
        "Deployment/cart: runAsNonRoot is not true",
        "Deployment/cart container cart: allowPrivilegeEscalation is not false",
        "Deployment/cart container cart: root filesystem is writable",
        "Deployment/cart container cart: capabilities not dropped",
        "Deployment/cart container cart: no memory limit",
        "Deployment/cart container cart: image registry.example.com/flores-victoria/cart:latest uses latest",
      ]),
    );
  });

  it("a variable the service does not read, a required one missing, a store URL or credential as a literal", () => {
    const broken = withDeployment(dev, "auth", (spec) => {
      const env = mainContainer(spec).env as any[];
      env.push({ name: "DATABASE_URI", value: "postgres://postgres@db/auth" });
      env.splice(
        env.findIndex((e) => e.name === "REDIS_URL"),
        1,
      );
      const database = env.find((e) => e.name === "DATABASE_URL");
      delete database.valueFrom;
      database.value = `postgres://fv_auth:${"pw".repeat(8)}@postgres:5432/fv_auth`;
    });
    const problems = checkServicesAgainstCode(broken, secretValues.dev);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/sets DATABASE_URI, which auth's config does not read/),
        expect.stringMatching(/does not set REDIS_URL, which auth requires/),
        expect.stringMatching(/DATABASE_URL \(postgres\) does not come from a Secret/),
        expect.stringMatching(/DATABASE_URL is not from a Secret/),
      ]),
    );
  });

  it("a service bound to loopback, a PORT no container declares, a probe on another port, a short grace period", () => {
    const broken = withDeployment(dev, "products", (spec) => {
      const c = mainContainer(spec);
      c.env.find((e: any) => e.name === "HOST").value = "127.0.0.1";
      c.env.find((e: any) => e.name === "PORT").value = "8080";
      c.livenessProbe.httpGet.port = 9000;
      spec.terminationGracePeriodSeconds = 10;
    });
    expect(checkServicesAgainstCode(broken, secretValues.dev)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/HOST=127.0.0.1 does not listen on the pod's address/),
        expect.stringMatching(/listens on 8080, which no container port declares/),
        expect.stringMatching(/livenessProbe port 9000 is no container port/),
        expect.stringMatching(/terminationGracePeriodSeconds 10 < preStop 5 s \+ drain 10 s \+ 5 s/),
      ]),
    );
  });

  it("a service with migrations that no init container runs, a missing service", () => {
    const broken = withDeployment(dev, "orders", (spec) => delete spec.initContainers).filter(
      (o) => !(o.kind === "Deployment" && o.metadata.name === "reviews"),
    );
    expect(checkServicesAgainstCode(broken, secretValues.dev)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/orders.*has migrations \(src\/db\/migrate.ts\) that no init container runs/),
        "reviews: 0 workloads run it (expected 1)",
      ]),
    );
  });

  it("an Ingress that exposes /metrics or a subgraph", () => {
    const broken = clone(dev);
    const ingress = find(broken, "Ingress", "router")!;
    ingress.spec.rules[0].http.paths.push(
      { path: "/", pathType: "Prefix", backend: { service: { name: "router", port: { name: "http" } } } },
      { path: "/cart", pathType: "Prefix", backend: { service: { name: "cart", port: { name: "http" } } } },
      { path: "/payments", pathType: "Prefix", backend: { service: { name: "products", port: { name: "http" } } } },
    );
    expect(checkExposure(broken)).toEqual(
      expect.arrayContaining([
        "Ingress/router: exposes Service cart at /cart",
        "Ingress/router: exposes Service products at /payments",
        "an Ingress exposes /metrics",
        "an Ingress exposes /health/ready",
      ]),
    );
  });

  it("every service is a workload in both overlays", () => {
    for (const overlay of overlays) expect(appWorkloads(rendered[overlay])).toHaveLength(9);
  });
});
