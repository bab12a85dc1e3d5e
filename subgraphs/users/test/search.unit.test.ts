import { describe, expect, it } from "vitest";
import { containsPattern, searchKey, searchKeySql, searchWords } from "../src/search.js";

describe("searchKey", () => {
  it("drops case and Spanish accents", () => {
    expect(searchKey("María José ÑUÑOA Güemes")).toBe("maria jose nunoa guemes");
    expect(searchKey("ANA@Example.CL")).toBe("ana@example.cl");
  });

  it("folds decomposed accents as typed on some keyboards", () => {
    expect(searchKey("Mari\u0301a N\u0303un\u0303oa")).toBe("maria nunoa");
  });

  it("folds exactly the letters the SQL expression folds", () => {
    const [from, to] = [...searchKeySql("x").matchAll(/'([^']*)'/g)].map((m) => m[1]!);
    expect([...from!]).toHaveLength([...to!].length);
    expect(searchKey(from!)).toBe(to);
  });
});

describe("searchWords", () => {
  it("splits a search into folded words, ignoring extra spaces", () => {
    expect(searchWords("  SOTO   maría ")).toEqual(["soto", "maria"]);
    expect(searchWords("   ")).toEqual([]);
  });
});

describe("containsPattern", () => {
  it("matches anywhere and takes LIKE's wildcards literally", () => {
    expect(containsPattern("ana")).toBe("%ana%");
    expect(containsPattern("100%_a\\b")).toBe("%100\\%\\_a\\\\b%");
  });
});
