import { describe, expect, it } from "vitest";
import { readinessUrl, subgraphsOf } from "../src/supergraph.js";

describe("subgraphsOf", () => {
  it("lists the subgraphs named by the join__Graph enum", () => {
    const sdl = `enum join__Graph {
      AUTH @join__graph(name: "auth", url: "http://localhost:4001/graphql")
      CART @join__graph(name: "cart", url: "http://cart.fv.svc:4005/graphql")
    }`;
    expect(subgraphsOf(sdl)).toEqual([
      { name: "auth", url: "http://localhost:4001/graphql" },
      { name: "cart", url: "http://cart.fv.svc:4005/graphql" },
    ]);
  });

  it("derives a subgraph's readiness route from its GraphQL URL", () => {
    expect(readinessUrl("http://cart.fv.svc:4005/graphql")).toBe("http://cart.fv.svc:4005/health/ready");
  });
});
