import { afterAll, beforeAll, describe, expect, it } from "vitest";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import type { Service } from "@fv/platform";
import { createTestDatabase, graphql, listenForTest, testMongoDatabase, testStores } from "@fv/platform/testing";
import { subgraphs } from "../scripts/services.js";
import { buildRouter, buildSubgraph, closedStores, type StoreEnv } from "./services.js";

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let liveStores: StoreEnv;
beforeAll(async () => {
  database = await createTestDatabase("services");
  const mongo = testMongoDatabase("services");
  liveStores = {
    postgresUrl: database.url,
    redisUrl: testStores.redisUrl,
    mongoUrl: mongo.url,
    mongoDatabase: mongo.dbName,
    redisPrefix: "test:services:",
  };
});
afterAll(() => database?.drop());

const get = (base: string, path: string) => fetch(`${base}${path}`);

describe.each(subgraphs.map((s) => s.name))("%s service", (name) => {
  let service: Service;
  let base: string;
  beforeAll(async () => {
    service = await buildSubgraph(name, liveStores);
    base = await listenForTest(service);
  });
  afterAll(() => service?.stop());

  it("answers /health/live with 200", async () => {
    const res = await get(base, "/health/live");
    expect(res.status).toBe(200);
  });

  it("answers /health/ready with 200 once its stores answer", async () => {
    await expect
      .poll(async () => (await get(base, "/health/ready")).status, { timeout: 15_000, interval: 200 })
      .toBe(200);
    const body = (await (await get(base, "/health/ready")).json()) as any;
    expect(body.status).toBe("ready");
  });

  it("exports Prometheus text with the HTTP and GraphQL histograms", async () => {
    const query = await graphql(base, "query ContractProbe { __typename }");
    expect(query.data).toEqual({ __typename: "Query" });
    const res = await get(base, "/metrics");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    const families = parsePrometheusTextFormat(text);
    const family = (n: string) => families.find((f) => f.name === n);
    expect(family("http_request_duration_seconds")?.type).toBe("HISTOGRAM");
    expect(family("process_resident_memory_bytes")?.type).toBe("GAUGE");
    expect(family("graphql_operation_duration_seconds")?.type).toBe("HISTOGRAM");
    // The parser folds histogram series together: read the labelled count line itself.
    const count = text
      .split("\n")
      .find(
        (line) =>
          line.startsWith("graphql_operation_duration_seconds_count{") &&
          line.includes('operation_name="ContractProbe"'),
      );
    expect(count).toMatch(/outcome="success"/);
    expect(count).toMatch(new RegExp(`service="${name}"`));
    expect(count).toMatch(/ 1$/);
  });

  it("answers /health/ready with 503 naming the store when it is unreachable", async () => {
    const broken = await buildSubgraph(name, closedStores);
    const url = await listenForTest(broken);
    try {
      expect((await get(url, "/health/live")).status).toBe(200);
      const res = await get(url, "/health/ready");
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      const failed = Object.entries(body.checks as Record<string, { ok: boolean; error?: string }>).filter(
        ([, c]) => !c.ok,
      );
      const expected = subgraphs.find((s) => s.name === name)!.stores;
      expect(failed.map(([check]) => check).sort()).toEqual([...expected].sort());
      for (const [, check] of failed) expect(check.error).toBeTruthy();
    } finally {
      await broken.stop();
    }
  });
});

describe("router", () => {
  it("is not ready while its subgraphs are unreachable, and names them", async () => {
    const router = await buildRouter(() => "http://127.0.0.1:1/graphql");
    const url = await listenForTest(router);
    try {
      expect((await get(url, "/health/live")).status).toBe(200);
      const res = await get(url, "/health/ready");
      expect(res.status).toBe(503);
      const body = (await res.json()) as any;
      expect(body.checks.supergraph).toEqual({ ok: true });
      for (const { name } of subgraphs) expect(body.checks[`subgraph:${name}`].ok).toBe(false);
      await graphql(url, "query RouterProbe { __typename }");
      const metrics = parsePrometheusTextFormat(await (await get(url, "/metrics")).text());
      expect(metrics.find((f) => f.name === "http_request_duration_seconds")?.type).toBe("HISTOGRAM");
      expect(metrics.find((f) => f.name === "graphql_operation_duration_seconds")?.type).toBe("HISTOGRAM");
    } finally {
      await router.stop();
    }
  });

  it("serves no IDE and refuses introspection with NODE_ENV=production", async () => {
    const router = await buildRouter(() => "http://127.0.0.1:1/graphql", { NODE_ENV: "production" });
    const url = await listenForTest(router);
    try {
      expect((await get(url, "/")).status).toBe(404);
      expect((await get(url, "/ide/graphiql.js")).status).toBe(404);
      const introspection = await graphql(url, "{ __schema { queryType { name } } }");
      expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    } finally {
      await router.stop();
    }
  });

  it("serves the IDE in development", async () => {
    const router = await buildRouter(() => "http://127.0.0.1:1/graphql", { NODE_ENV: "development" });
    const url = await listenForTest(router);
    try {
      expect((await get(url, "/")).status).toBe(200);
      const introspection = await graphql(url, "{ __schema { queryType { name } } }");
      expect(introspection.data).toEqual({ __schema: { queryType: { name: "Query" } } });
    } finally {
      await router.stop();
    }
  });
});
