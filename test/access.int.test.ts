import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT, generateKeyPair, decodeProtectedHeader } from "jose";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { revokeSessionTokens, revokeUserTokensBefore, type Service } from "@fv/platform";
import {
  createTestDatabase,
  createTestIssuer,
  graphql,
  listenForTest,
  testMongoDatabase,
  testStores,
  uniqueName,
  type TestIssuer,
} from "@fv/platform/testing";

const PROMOTED = "5f0c6a52-7e1b-4c2a-9d3e-000000000042";
import { subgraphs } from "../scripts/services.js";
import { buildRouter, buildSubgraph, type StoreEnv } from "./services.js";

/**
 * How every service treats who is calling: subgraphs refuse anything that did not come through
 * the router (or from a service with the credential), and every service refuses access tokens
 * that do not verify against the auth keys.
 */
let issuer: TestIssuer;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let stores: StoreEnv;
beforeAll(async () => {
  issuer = await createTestIssuer();
  database = await createTestDatabase("access");
  const mongo = testMongoDatabase("access");
  stores = {
    postgresUrl: database.url,
    redisUrl: testStores.redisUrl,
    mongoUrl: mongo.url,
    mongoDatabase: mongo.dbName,
    redisPrefix: "test:access:",
  };
});
afterAll(async () => {
  await issuer?.stop();
  await database?.drop();
});

describe.each(subgraphs.map((s) => s.name))("%s subgraph", (name) => {
  let service: Service;
  let url: string;
  beforeAll(async () => {
    service = await buildSubgraph(name, stores, { AUTH_JWKS_URL: issuer.jwksUrl });
    url = await listenForTest(service);
  });
  afterAll(() => service?.stop());

  it("refuses GraphQL without the service credential, or with a wrong one", async () => {
    for (const credential of ["", "not-the-credential-but-long-enough-to-look-real"]) {
      const res = await graphql(url, "{ __typename }", undefined, { "x-service-credential": credential });
      expect(res.status).toBe(403);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it("accepts a valid access token forwarded by the router", async () => {
    const token = await issuer.sign({ role: "customer" });
    const res = await graphql(url, "{ __typename }", undefined, { authorization: `Bearer ${token}` });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ __typename: "Query" });
  });
});

describe("rotating the service credential", () => {
  const current = "the-new-credential-0123456789abcdef-0123456789";
  const previous = "the-old-credential-0123456789abcdef-0123456789";
  const ask = (url: string, credential: string) =>
    graphql(url, "{ __typename }", undefined, { "x-service-credential": credential });

  it("accepts a second credential while SERVICE_CREDENTIAL_ALSO_ACCEPTED is set, and only then", async () => {
    const rotating = await buildSubgraph("cart", stores, {
      AUTH_JWKS_URL: issuer.jwksUrl,
      SERVICE_CREDENTIAL: current,
      SERVICE_CREDENTIAL_ALSO_ACCEPTED: previous,
    });
    const settled = await buildSubgraph("cart", stores, { AUTH_JWKS_URL: issuer.jwksUrl, SERVICE_CREDENTIAL: current });
    try {
      const [during, after] = [await listenForTest(rotating), await listenForTest(settled)];
      expect((await ask(during, current)).status).toBe(200);
      expect((await ask(during, previous)).status).toBe(200);
      expect((await ask(during, "a-third-credential-0123456789abcdef-0123456789")).status).toBe(403);
      // Once the rotation is over, the old value opens nothing.
      expect((await ask(after, current)).status).toBe(200);
      expect((await ask(after, previous)).status).toBe(403);
    } finally {
      await rotating.stop();
      await settled.stop();
    }
  });
});

describe("access tokens", () => {
  let service: Service;
  let url: string;
  beforeAll(async () => {
    service = await buildSubgraph("products", stores, { AUTH_JWKS_URL: issuer.jwksUrl });
    url = await listenForTest(service);
  });
  afterAll(() => service?.stop());

  const refused = async (authorization: string, reason: RegExp) => {
    const res = await graphql(url, "{ __typename }", undefined, { authorization });
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect(res.errors?.[0]?.message).toMatch(reason);
    expect(res.data ?? null).toBeNull();
  };

  it("refuses an expired token", async () => {
    const token = await issuer.sign({
      issuedAt: Math.floor(Date.now() / 1000) - 3600,
      expiresAt: Math.floor(Date.now() / 1000) - 60,
    });
    await refused(`Bearer ${token}`, /expired/);
  });

  it("refuses a token signed by another key under the same kid", async () => {
    const genuine = await issuer.sign({});
    const { kid } = decodeProtectedHeader(genuine);
    const { privateKey } = await generateKeyPair("EdDSA");
    const forged = await new SignJWT({ role: "admin", sid: "s" })
      .setProtectedHeader({ alg: "EdDSA", kid })
      .setSubject("attacker")
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setIssuedAt()
      .setExpirationTime("15m")
      .sign(privateKey);
    await refused(`Bearer ${forged}`, /signature/);
  });

  it('refuses alg "none"', async () => {
    const genuine = await issuer.sign({});
    const [, payload] = genuine.split(".");
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url");
    await refused(`Bearer ${header}.${payload}.`, /Invalid access token/);
  });

  it("refuses a tampered payload", async () => {
    const genuine = await issuer.sign({ role: "customer" });
    const [header, payload, signature] = genuine.split(".");
    const claims = JSON.parse(Buffer.from(payload!, "base64url").toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, role: "admin" })).toString("base64url");
    await refused(`Bearer ${header}.${tampered}.${signature}`, /signature/);
  });

  it("refuses a token whose kid no published key has", async () => {
    const token = await issuer.sign({ kid: "retired-or-invented" });
    await refused(`Bearer ${token}`, /unknown key/);
  });

  it("refuses an Authorization header that is not a Bearer token", async () => {
    await refused("Basic dXNlcjpwYXNz", /Bearer/);
  });
});

describe("the router", () => {
  it("refuses access tokens auth marked revoked: a signed-out session's, and a person's issued before a role change", async () => {
    const eventsPrefix = `${uniqueName("test_revoked")}:`;
    const router = await buildRouter(() => "http://127.0.0.1:1/graphql", {
      AUTH_JWKS_URL: issuer.jwksUrl,
      EVENTS_PREFIX: eventsPrefix,
    });
    const marks = new Redis(testStores.redisUrl, { keyPrefix: eventsPrefix });
    const url = await listenForTest(router);
    const ask = (token: string) => graphql(url, "{ __typename }", undefined, { authorization: `Bearer ${token}` });
    try {
      const now = Math.floor(Date.now() / 1000);
      const [signedOut, otherSession, olderToken, freshToken] = await Promise.all([
        issuer.sign({ sessionId: randomUUID() }),
        issuer.sign({ sessionId: randomUUID() }),
        issuer.sign({ userId: PROMOTED, issuedAt: now - 60 }),
        issuer.sign({ userId: PROMOTED, issuedAt: now }),
      ]);
      for (const token of [signedOut, otherSession, olderToken, freshToken])
        expect((await ask(token)).status).toBe(200);

      await revokeSessionTokens(marks, [JSON.parse(atob(signedOut.split(".")[1]!)).sid]);
      await revokeUserTokensBefore(marks, PROMOTED, new Date((now - 5) * 1000));
      for (const token of [signedOut, olderToken]) {
        const res = await ask(token);
        expect(res.status).toBe(401);
        expect(res.errors?.[0]).toMatchObject({ extensions: { code: "UNAUTHENTICATED" } });
        expect(res.errors?.[0]?.message).toMatch(/revoked/);
      }
      expect((await ask(otherSession)).status).toBe(200);
      expect((await ask(freshToken)).status).toBe(200);
    } finally {
      await router.stop();
      await marks.quit();
      const plain = new Redis(testStores.redisUrl);
      const keys = await plain.keys(`${eventsPrefix}*`);
      if (keys.length) await plain.del(...keys);
      await plain.quit();
    }
  });

  it("refuses a bad token itself, before calling any subgraph", async () => {
    const router = await buildRouter(() => "http://127.0.0.1:1/graphql", { AUTH_JWKS_URL: issuer.jwksUrl });
    const url = await listenForTest(router);
    try {
      const expired = await issuer.sign({
        issuedAt: Math.floor(Date.now() / 1000) - 3600,
        expiresAt: Math.floor(Date.now() / 1000) - 60,
      });
      const res = await graphql(url, "{ __typename }", undefined, { authorization: `Bearer ${expired}` });
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    } finally {
      await router.stop();
    }
  });
});
