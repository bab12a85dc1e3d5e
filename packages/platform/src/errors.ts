import { GraphQLError } from "graphql";

/** A business failure returned in a mutation payload, not thrown. */
export interface UserError {
  field: string[] | null;
  code: string;
  message: string;
}

export const userError = (field: string | string[] | null, code: string, message: string): UserError => ({
  field: field === null ? null : Array.isArray(field) ? field : [field],
  code,
  message,
});

export const badUserInput = (message: string, argument: string) =>
  new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", argumentName: argument } });

export const notFound = (what: string) => new GraphQLError(`${what} not found`, { extensions: { code: "NOT_FOUND" } });

export const unauthenticated = (message = "Sign in to do this") =>
  new GraphQLError(message, { extensions: { code: "UNAUTHENTICATED" } });

export const forbidden = (message = "You may not do this") =>
  new GraphQLError(message, { extensions: { code: "FORBIDDEN" } });
