import { describe, expect, it } from "vitest";
import { effectiveSort, isCursorFor, searchText } from "../src/sorting.js";

const id = "7d0f3a3e-8f7c-4d58-9a41-1b7c1b4f3a10";

describe("effectiveSort", () => {
  it("defaults to relevance when searching and newest otherwise", () => {
    expect(effectiveSort(null, true)).toBe("RELEVANCE");
    expect(effectiveSort(undefined, false)).toBe("NEWEST");
    expect(effectiveSort("PRICE_ASC", true)).toBe("PRICE_ASC");
  });

  it("refuses relevance without a search, naming the argument", () => {
    expect(() => effectiveSort("RELEVANCE", false)).toThrow('"sort"');
  });
});

describe("searchText", () => {
  it("treats blank text as no search", () => {
    expect(searchText("   ")).toBeNull();
    expect(searchText(null)).toBeNull();
    expect(searchText(" rosas ")).toBe("rosas");
  });
});

describe("isCursorFor", () => {
  it("accepts only cursors of the same sort with a well-typed key", () => {
    expect(isCursorFor("NEWEST")(["NEWEST", "2026-11-29T13:00:00.000Z", id])).toBe(true);
    expect(isCursorFor("PRICE_ASC")(["PRICE_ASC", 29990, id])).toBe(true);
    expect(isCursorFor("RELEVANCE")(["RELEVANCE", "0.607900", id])).toBe(true);
    expect(isCursorFor("PRICE_ASC")(["NEWEST", 29990, id])).toBe(false);
    expect(isCursorFor("PRICE_DESC")(["PRICE_DESC", "29990", id])).toBe(false);
    expect(isCursorFor("NEWEST")(["NEWEST", "yesterday", id])).toBe(false);
    expect(isCursorFor("RELEVANCE")(["RELEVANCE", "1; drop table", id])).toBe(false);
    expect(isCursorFor("NEWEST")(["NEWEST", "2026-11-29T13:00:00.000Z", "x"])).toBe(false);
    expect(isCursorFor("RATING")(["RATING", "4.50:12", id])).toBe(true);
    expect(isCursorFor("RATING")(["RATING", "0.00:0", id])).toBe(true);
    expect(isCursorFor("RATING")(["RATING", "4.50", id])).toBe(false);
    expect(isCursorFor("RATING")(["RATING", "7.00:1", id])).toBe(false);
    expect(isCursorFor("RATING")(["RATING", "4.5:1) or (1=1", id])).toBe(false);
  });
});
