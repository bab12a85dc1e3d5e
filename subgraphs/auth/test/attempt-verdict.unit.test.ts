import { describe, expect, it } from "vitest";
import { attemptVerdict, retryAfterText } from "../src/attempt-verdict.js";

const limit = { limit: 5, windowSeconds: 900 };

describe("attemptVerdict", () => {
  it("allows while every subject is within its limit, the limit itself included", () => {
    expect(attemptVerdict([{ count: 5, ttl: 900 }], limit)).toEqual({ allowed: true });
    expect(
      attemptVerdict(
        [
          { count: 1, ttl: 900 },
          { count: 5, ttl: 10 },
        ],
        limit,
      ),
    ).toEqual({ allowed: true });
  });

  it("refuses past the limit until the last exceeded window ends", () => {
    expect(attemptVerdict([{ count: 6, ttl: 300 }], limit)).toEqual({ allowed: false, retryAfterSeconds: 300 });
    expect(
      attemptVerdict(
        [
          { count: 7, ttl: 120 },
          { count: 9, ttl: 600 },
          { count: 2, ttl: 899 },
        ],
        limit,
      ),
    ).toEqual({ allowed: false, retryAfterSeconds: 600 });
  });

  it("assumes a whole window when Redis reports no expiry", () => {
    expect(attemptVerdict([{ count: 6, ttl: -1 }], limit)).toEqual({ allowed: false, retryAfterSeconds: 900 });
  });
});

describe("retryAfterText", () => {
  it("gives seconds, and whole minutes rounded up", () => {
    expect(retryAfterText(900)).toBe("try again in 900 seconds (15 minutes)");
    expect(retryAfterText(61)).toBe("try again in 61 seconds (2 minutes)");
    expect(retryAfterText(1)).toBe("try again in 1 second (1 minute)");
  });
});
