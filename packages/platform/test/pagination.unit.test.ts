import { describe, expect, it } from "vitest";
import { GraphQLError } from "graphql";
import { decodeCursor, encodeCursor, pageSize, toConnection } from "../src/index.js";

const isPair = (v: unknown): v is [string, number] =>
  Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "number";

describe("cursors", () => {
  it("round-trip the value they carry", () => {
    expect(decodeCursor(encodeCursor(["a", 1]), isPair)).toEqual(["a", 1]);
  });

  it("reject garbage and foreign shapes with BAD_USER_INPUT naming the argument", () => {
    for (const bad of ["%%%", encodeCursor({ other: true }), Buffer.from("{").toString("base64url")]) {
      let caught: unknown;
      try {
        decodeCursor(bad, isPair);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(GraphQLError);
      expect((caught as GraphQLError).extensions.code).toBe("BAD_USER_INPUT");
      expect((caught as GraphQLError).message).toContain('"after"');
    }
  });
});

describe("pageSize", () => {
  it("accepts 1 to 100 and defaults when absent", () => {
    expect(pageSize(undefined)).toBe(20);
    expect(pageSize(100)).toBe(100);
  });
  it.each([0, -1, 101, 1.5])("rejects %s", (n) => {
    expect(() => pageSize(n)).toThrow(/"first" must be between 1 and 100/);
  });
});

describe("toConnection", () => {
  it("uses the extra row only to tell that a next page exists", () => {
    const c = toConnection([1, 2, 3], 2, (n) => n, false, 10);
    expect(c.edges.map((e) => e.node)).toEqual([1, 2]);
    expect(c.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false, endCursor: encodeCursor(2) });
    expect(c.totalCount).toBe(10);
  });
});
