import { describe, expect, it } from "vitest";
import { permissionsOf, type Caller, type Role } from "@fv/platform";
import { applyReviewUpdate, canSeeModerationReason, canSeeReview, validateModeration } from "../src/review-rules.js";

const user = (userId: string, role: Role = "customer"): Caller => ({
  kind: "user",
  userId,
  role,
  permissions: new Set(permissionsOf(role)),
  sessionId: "s",
});

describe("canSeeReview", () => {
  it("shows published reviews to anyone and hidden ones to their author and moderators only", () => {
    const published = { status: "PUBLISHED", authorId: "ana" };
    const hidden = { status: "HIDDEN", authorId: "ana" };
    expect(canSeeReview(published, { kind: "anonymous" })).toBe(true);
    expect(canSeeReview(hidden, { kind: "anonymous" })).toBe(false);
    expect(canSeeReview(hidden, user("benja"))).toBe(false);
    expect(canSeeReview(hidden, user("benja", "florist"))).toBe(false);
    expect(canSeeReview(hidden, user("ana"))).toBe(true);
    expect(canSeeReview(hidden, user("benja", "support"))).toBe(true);
    expect(canSeeModerationReason(published, user("benja"))).toBe(false);
    expect(canSeeModerationReason(published, user("ana"))).toBe(true);
  });
});

describe("validateModeration", () => {
  it("needs a reason to hide, trimmed, up to 500 characters", () => {
    expect(validateModeration("HIDDEN", "  spam ")).toEqual({ reason: "spam", errors: [] });
    expect(validateModeration("HIDDEN", " ").errors.map((e) => e.code)).toEqual(["REASON_REQUIRED"]);
    expect(validateModeration("HIDDEN", null).errors.map((e) => e.code)).toEqual(["REASON_REQUIRED"]);
    expect(validateModeration("PUBLISHED", undefined)).toEqual({ reason: null, errors: [] });
    expect(validateModeration("HIDDEN", "r".repeat(501)).errors.map((e) => e.code)).toEqual(["TOO_LONG"]);
  });
});

describe("applyReviewUpdate", () => {
  const current = { authorName: "Ana", rating: 3, title: "Lindo", comment: "Bien" };
  it("keeps absent fields, clears title and comment on null, keeps rating and name on null", () => {
    expect(applyReviewUpdate(current, { rating: 5 }).value).toEqual({ ...current, rating: 5 });
    expect(applyReviewUpdate(current, { title: null, comment: null, rating: null, authorName: null }).value).toEqual({
      authorName: "Ana",
      rating: 3,
      title: null,
      comment: null,
    });
    expect(applyReviewUpdate(current, { rating: 0, authorName: " " }).errors.map((e) => e.code)).toEqual([
      "INVALID_RATING",
      "REQUIRED",
    ]);
  });
});
