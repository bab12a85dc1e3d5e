import { badUserInput } from "./errors.js";

export const MAX_PAGE_SIZE = 100;

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  totalCount: number;
}

export const encodeCursor = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Decodes a cursor this service issued; anything else is a BAD_USER_INPUT naming `after`. */
export function decodeCursor<T>(cursor: string, isValid: (value: unknown) => value is T, argument = "after"): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badUserInput(`Argument "${argument}" is not a valid cursor`, argument);
  }
  if (!isValid(value)) throw badUserInput(`Argument "${argument}" is not a valid cursor`, argument);
  return value;
}

export function pageSize(first: number | null | undefined, fallback = 20, argument = "first"): number {
  const size = first ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw badUserInput(`Argument "${argument}" must be between 1 and ${MAX_PAGE_SIZE}, got ${size}`, argument);
  }
  return size;
}

/** Builds a connection from `size + 1` rows fetched after a cursor (the extra row tells if there is a next page). */
export function toConnection<T>(
  rows: T[],
  size: number,
  cursorOf: (row: T) => unknown,
  hasPrevious: boolean,
  totalCount: number,
): Connection<T> {
  const page = rows.slice(0, size);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(cursorOf(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > size,
      hasPreviousPage: hasPrevious,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount,
  };
}
