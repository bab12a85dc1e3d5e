import { userError, type UserError } from "@fv/platform";
import type { ContactMessageStatus } from "./db/contact-message.js";

export const NOTE_MAX = 2000;

/**
 * Where support staff may move a message from each status. NEW may close straight away (spam,
 * nothing to do); a RESOLVED message reopens when the sender writes back; CLOSED is final.
 */
export const STATUS_TRANSITIONS: Record<ContactMessageStatus, readonly ContactMessageStatus[]> = {
  NEW: ["IN_PROGRESS", "CLOSED"],
  IN_PROGRESS: ["RESOLVED"],
  RESOLVED: ["CLOSED", "IN_PROGRESS"],
  CLOSED: [],
};

export const canTransition = (from: ContactMessageStatus, to: ContactMessageStatus) =>
  STATUS_TRANSITIONS[from].includes(to);

const CONTROL_EXCEPT_NEWLINE_TAB = /(?![\n\t])[\p{Cc}\p{Cs}]/u;

/** Checks a status change; the note is optional, trimmed, and null when blank. Fields relative to the input. */
export function validateStatusChange(
  from: ContactMessageStatus,
  to: ContactMessageStatus,
  note: string | null | undefined,
): { note: string | null; errors: UserError[] } {
  const text = note == null ? null : note.replace(/\r\n?/g, "\n").trim() || null;
  const errors: UserError[] = [];
  if (!canTransition(from, to)) {
    const allowed = STATUS_TRANSITIONS[from];
    errors.push(
      userError(
        "status",
        "INVALID_TRANSITION",
        allowed.length
          ? `a ${from} message can only move to ${allowed.join(" or ")}`
          : `a ${from} message cannot change status`,
      ),
    );
  }
  if (text !== null && text.length > NOTE_MAX)
    errors.push(userError("note", "TOO_LONG", `note must be at most ${NOTE_MAX} characters`));
  else if (text !== null && CONTROL_EXCEPT_NEWLINE_TAB.test(text))
    errors.push(userError("note", "INVALID_CHARACTERS", "note must not contain control characters"));
  return { note: text, errors };
}
