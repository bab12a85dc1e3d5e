import { describe, expect, it } from "vitest";
import { operationNameLabel } from "../src/index.js";

describe("operationNameLabel", () => {
  it("keeps well-formed names and buckets the rest", () => {
    expect(operationNameLabel("CatalogPage")).toBe("CatalogPage");
    expect(operationNameLabel(undefined)).toBe("anonymous");
    expect(operationNameLabel("drop table; --")).toBe("invalid");
  });

  it("stops growing the label set after a bound", () => {
    const labels = new Set<string>();
    for (let i = 0; i < 700; i++) labels.add(operationNameLabel(`Generated${i}`));
    expect(labels.has("other")).toBe(true);
    expect(labels.size).toBeLessThanOrEqual(501);
  });
});
