import { describe, expect, it } from "vitest";
import { CONTACT_MESSAGE_STATUSES } from "../src/db/contact-message.js";
import { STATUS_TRANSITIONS, canTransition, validateStatusChange } from "../src/status-rules.js";

describe("contact message status transitions", () => {
  it("allows exactly the table's moves", () => {
    const allowed = CONTACT_MESSAGE_STATUSES.flatMap((from) =>
      CONTACT_MESSAGE_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`),
    );
    expect(allowed).toEqual([
      "NEW->IN_PROGRESS",
      "NEW->CLOSED",
      "IN_PROGRESS->RESOLVED",
      "RESOLVED->IN_PROGRESS",
      "RESOLVED->CLOSED",
    ]);
    expect(STATUS_TRANSITIONS.CLOSED).toEqual([]);
  });

  it("refuses a move the table lacks, saying where the message may go", () => {
    expect(validateStatusChange("NEW", "RESOLVED", null).errors).toEqual([
      {
        field: ["status"],
        code: "INVALID_TRANSITION",
        message: "a NEW message can only move to IN_PROGRESS or CLOSED",
      },
    ]);
    expect(validateStatusChange("CLOSED", "IN_PROGRESS", null).errors[0]!.message).toBe(
      "a CLOSED message cannot change status",
    );
    expect(validateStatusChange("IN_PROGRESS", "IN_PROGRESS", null).errors.map((e) => e.code)).toEqual([
      "INVALID_TRANSITION",
    ]);
  });

  it("keeps an optional note, trimmed, up to 2000 characters without control characters", () => {
    expect(validateStatusChange("NEW", "IN_PROGRESS", "  Llamé a la clienta\r\n ")).toEqual({
      note: "Llamé a la clienta",
      errors: [],
    });
    expect(validateStatusChange("NEW", "IN_PROGRESS", "   ").note).toBeNull();
    expect(validateStatusChange("NEW", "IN_PROGRESS", "n".repeat(2000)).errors).toEqual([]);
    expect(validateStatusChange("NEW", "IN_PROGRESS", "n".repeat(2001)).errors.map((e) => e.code)).toEqual([
      "TOO_LONG",
    ]);
    expect(validateStatusChange("NEW", "IN_PROGRESS", "a\u0000b").errors.map((e) => e.code)).toEqual([
      "INVALID_CHARACTERS",
    ]);
  });
});
