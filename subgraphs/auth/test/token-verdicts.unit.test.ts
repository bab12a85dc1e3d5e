import { describe, expect, it } from "vitest";
import { oneTimeTokenVerdict, refreshVerdict } from "../src/token-verdicts.js";

const now = new Date("2026-11-29T13:00:00.000Z");
const later = new Date("2026-11-29T14:00:00.000Z");
const earlier = new Date("2026-11-29T12:00:00.000Z");

describe("refreshVerdict", () => {
  const presented = (token: { usedAt?: Date; expiresAt?: Date }, revokedAt: Date | null = null) => ({
    token: { usedAt: token.usedAt ?? null, expiresAt: token.expiresAt ?? later },
    session: { revokedAt },
  });

  it("rotates an unused, unexpired token of a live session", () => {
    expect(refreshVerdict(presented({}), now)).toBe("rotate");
  });

  it("calls a used token reuse (theft), even when it has expired since", () => {
    expect(refreshVerdict(presented({ usedAt: earlier }), now)).toBe("reused");
    expect(refreshVerdict(presented({ usedAt: earlier, expiresAt: earlier }), now)).toBe("reused");
  });

  it("refuses a signed-out session's tokens as revoked, used or not", () => {
    expect(refreshVerdict(presented({}, earlier), now)).toBe("revoked");
    expect(refreshVerdict(presented({ usedAt: earlier }, earlier), now)).toBe("revoked");
  });

  it("refuses expired and unknown tokens", () => {
    expect(refreshVerdict(presented({ expiresAt: now }), now)).toBe("expired");
    expect(refreshVerdict(undefined, now)).toBe("unknown");
  });
});

describe("oneTimeTokenVerdict", () => {
  it("accepts an unused token before it expires", () => {
    expect(oneTimeTokenVerdict({ usedAt: null, expiresAt: later }, now)).toBe("valid");
  });

  it("treats used and unknown tokens alike, and refuses one at or past its expiry", () => {
    expect(oneTimeTokenVerdict({ usedAt: earlier, expiresAt: later }, now)).toBe("invalid");
    expect(oneTimeTokenVerdict(undefined, now)).toBe("invalid");
    expect(oneTimeTokenVerdict({ usedAt: null, expiresAt: now }, now)).toBe("expired");
  });
});
