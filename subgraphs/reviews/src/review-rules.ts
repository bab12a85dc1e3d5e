import { hasPermission, userError, type Caller, type UserError } from "@fv/platform";

export const RATING_MIN = 1;
export const RATING_MAX = 5;
export const AUTHOR_NAME_MAX = 80;
export const TITLE_MAX = 120;
export const COMMENT_MAX = 2000;

/** Control characters (and broken UTF-16) have no place in text a person wrote; line breaks and tabs do. */
const CONTROL_EXCEPT_NEWLINE_TAB = /(?![\n\t])[\p{Cc}\p{Cs}]/u;
const ANY_CONTROL = /[\p{Cc}\p{Cs}]/u;
const REFERENCE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

export interface ReviewTextInput {
  authorName: string;
  rating: number;
  title?: string | null;
  comment?: string | null;
}

export interface ReviewText {
  authorName: string;
  rating: number;
  title: string | null;
  comment: string | null;
}

/** Ids of other subgraphs' records (users, products) are opaque, but never free text. */
export function checkReferenceId(field: string, value: string): UserError | null {
  return REFERENCE_ID.test(value)
    ? null
    : userError(field, "INVALID_ID", `${field} must be 1 to 64 letters, digits or . _ : -`);
}

/** Trimmed, with Windows and old Mac line breaks as plain newlines. */
const normalize = (text: string) => text.replace(/\r\n?/g, "\n").trim();

function checkText(
  field: string,
  text: string,
  { max, multiline, required }: { max: number; multiline: boolean; required: boolean },
): UserError | null {
  if (required && text === "") return userError(field, "REQUIRED", `${field} must not be empty`);
  // Lengths count UTF-16 units, as a browser's maxlength does.
  if (text.length > max) return userError(field, "TOO_LONG", `${field} must be at most ${max} characters`);
  if ((multiline ? CONTROL_EXCEPT_NEWLINE_TAB : ANY_CONTROL).test(text))
    return userError(field, "INVALID_CHARACTERS", `${field} must not contain control characters`);
  return null;
}

/**
 * Checks a review's rating and text. Text is kept as written (trimmed), never escaped or
 * stripped: clients render it as text, so markup in a comment is just characters. Field paths
 * are relative to the review input.
 */
export function validateReview(input: ReviewTextInput): { value: ReviewText; errors: UserError[] } {
  const value: ReviewText = {
    authorName: normalize(input.authorName),
    rating: input.rating,
    title: input.title == null ? null : normalize(input.title) || null,
    comment: input.comment == null ? null : normalize(input.comment) || null,
  };
  const errors = [
    Number.isInteger(value.rating) && value.rating >= RATING_MIN && value.rating <= RATING_MAX
      ? null
      : userError("rating", "INVALID_RATING", `rating must be a whole number from ${RATING_MIN} to ${RATING_MAX}`),
    checkText("authorName", value.authorName, { max: AUTHOR_NAME_MAX, multiline: false, required: true }),
    value.title === null ? null : checkText("title", value.title, { max: TITLE_MAX, multiline: true, required: false }),
    value.comment === null
      ? null
      : checkText("comment", value.comment, { max: COMMENT_MAX, multiline: true, required: false }),
  ].filter((error): error is UserError => error !== null);
  return { value, errors };
}

export interface RatingSummary {
  /** Mean stars to one decimal, null without ratings. */
  average: number | null;
  count: number;
  /** Counts of 1 to 5 stars, in that order. */
  distribution: number[];
}

/** Summarizes ratings given as how many reviews gave each number of stars. */
export function summarizeRatings(counts: Iterable<{ rating: number; count: number }>): RatingSummary {
  const distribution = Array.from({ length: RATING_MAX - RATING_MIN + 1 }, () => 0);
  for (const { rating, count } of counts) {
    if (Number.isInteger(rating) && rating >= RATING_MIN && rating <= RATING_MAX)
      distribution[rating - RATING_MIN]! += count;
  }
  const count = distribution.reduce((sum, n) => sum + n, 0);
  const stars = distribution.reduce((sum, n, i) => sum + n * (i + RATING_MIN), 0);
  return { average: count === 0 ? null : Math.round((stars * 10) / count) / 10, count, distribution };
}

export const REASON_MAX = 500;

/** Who may see a review: anyone once published; its author and moderators whatever its status. */
export function canSeeReview(review: { status: string; authorId: string }, caller: Caller): boolean {
  if (review.status === "PUBLISHED") return true;
  if (caller.kind === "user" && caller.userId === review.authorId) return true;
  return hasPermission(caller, "reviews:moderate");
}

/** The moderation reason is between staff and the author. */
export const canSeeModerationReason = (review: { authorId: string }, caller: Caller) =>
  (caller.kind === "user" && caller.userId === review.authorId) || hasPermission(caller, "reviews:moderate");

/** Hiding needs a reason the author can read; publishing may carry one. Trimmed, null when blank. */
export function validateModeration(
  status: "PUBLISHED" | "HIDDEN",
  reason: string | null | undefined,
): { reason: string | null; errors: UserError[] } {
  const text = reason == null ? null : normalize(reason) || null;
  if (status === "HIDDEN" && text === null)
    return { reason: null, errors: [userError("reason", "REASON_REQUIRED", "hiding a review needs a reason")] };
  const error = text === null ? null : checkText("reason", text, { max: REASON_MAX, multiline: true, required: false });
  return { reason: text, errors: error ? [error] : [] };
}

export interface ReviewUpdate {
  authorName?: string | null;
  rating?: number | null;
  title?: string | null;
  comment?: string | null;
}

/**
 * The review text after an edit: fields left out keep their value; a null rating or author name
 * keeps it too (they cannot be cleared), a null title or comment clears it. Then checked as new.
 */
export function applyReviewUpdate(current: ReviewText, update: ReviewUpdate) {
  return validateReview({
    authorName: update.authorName ?? current.authorName,
    rating: update.rating ?? current.rating,
    title: update.title === undefined ? current.title : update.title,
    comment: update.comment === undefined ? current.comment : update.comment,
  });
}
