import { describe, expect, it } from "vitest";
import { checkReferenceId, summarizeRatings, validateReview } from "../src/review-rules.js";

const valid = { authorName: "Camila R.", rating: 5, title: "Precioso", comment: "Llegó a tiempo.\nMuy lindo." };
const codes = (input: Parameters<typeof validateReview>[0]) =>
  validateReview(input).errors.map((e) => `${e.field!.join(".")}:${e.code}`);

describe("validateReview", () => {
  it("accepts a valid review, trimmed, keeping markup as plain characters", () => {
    const { value, errors } = validateReview({
      ...valid,
      authorName: "  Camila R. ",
      comment: "  <b>Hermoso</b> & fresco\r\n\tgracias  ",
    });
    expect(errors).toEqual([]);
    expect(value).toEqual({
      authorName: "Camila R.",
      rating: 5,
      title: "Precioso",
      comment: "<b>Hermoso</b> & fresco\n\tgracias",
    });
  });

  it("treats missing or blank title and comment as none", () => {
    expect(validateReview({ ...valid, title: null, comment: undefined }).value).toMatchObject({
      title: null,
      comment: null,
    });
    expect(validateReview({ ...valid, title: "   ", comment: "\n" })).toMatchObject({
      value: { title: null, comment: null },
      errors: [],
    });
  });

  it("accepts ratings 1 to 5 only, whole", () => {
    for (const rating of [1, 3, 5]) expect(codes({ ...valid, rating })).toEqual([]);
    for (const rating of [0, 6, -1, 4.5, Number.NaN])
      expect(codes({ ...valid, rating })).toEqual(["rating:INVALID_RATING"]);
  });

  it("limits title to 120 and comment to 2000 characters", () => {
    expect(codes({ ...valid, title: "a".repeat(120), comment: "b".repeat(2000) })).toEqual([]);
    expect(codes({ ...valid, title: "a".repeat(121), comment: "b".repeat(2001) })).toEqual([
      "title:TOO_LONG",
      "comment:TOO_LONG",
    ]);
  });

  it("rejects control characters other than newline and tab, and a name that is blank or multi-line", () => {
    expect(codes({ ...valid, title: "hola\u0007", comment: "fin\u0000" })).toEqual([
      "title:INVALID_CHARACTERS",
      "comment:INVALID_CHARACTERS",
    ]);
    expect(codes({ ...valid, comment: "a\u007fb" })).toEqual(["comment:INVALID_CHARACTERS"]);
    expect(codes({ ...valid, comment: "broken \ud800 surrogate" })).toEqual(["comment:INVALID_CHARACTERS"]);
    expect(codes({ ...valid, authorName: "Ana\nMaría" })).toEqual(["authorName:INVALID_CHARACTERS"]);
    expect(codes({ ...valid, authorName: "  " })).toEqual(["authorName:REQUIRED"]);
  });
});

describe("checkReferenceId", () => {
  it("accepts opaque ids and rejects free text", () => {
    expect(checkReferenceId("productId", "0b5e6a52-37c4-4e8e-9a38-3c1f8a7e2f10")).toBeNull();
    expect(checkReferenceId("productId", "a b")).toMatchObject({ field: ["productId"], code: "INVALID_ID" });
  });
});

describe("summarizeRatings", () => {
  it("is empty without ratings", () => {
    expect(summarizeRatings([])).toEqual({ average: null, count: 0, distribution: [0, 0, 0, 0, 0] });
  });

  it("averages to one decimal and counts each number of stars", () => {
    expect(
      summarizeRatings([
        { rating: 5, count: 2 },
        { rating: 4, count: 1 },
      ]),
    ).toEqual({ average: 4.7, count: 3, distribution: [0, 0, 0, 1, 2] });
    expect(
      summarizeRatings([
        { rating: 1, count: 1 },
        { rating: 2, count: 1 },
      ]),
    ).toMatchObject({ average: 1.5, count: 2 });
  });

  it("rounds halves up and adds repeated groups", () => {
    // 17 stars over 4 reviews = 4.25
    expect(
      summarizeRatings([
        { rating: 5, count: 1 },
        { rating: 4, count: 2 },
        { rating: 4, count: 1 },
      ]),
    ).toEqual({ average: 4.3, count: 4, distribution: [0, 0, 0, 3, 1] });
  });
});
