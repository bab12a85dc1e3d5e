import { readFileSync } from "node:fs";
import { parse, type DocumentNode } from "graphql";
import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper/resolverMap.js";

/** Reads a subgraph's schema.graphql (SDL first) as a document. */
export const loadTypeDefs = (file: URL): DocumentNode => parse(readFileSync(file, "utf8"));

export function subgraphSchema(typeDefs: DocumentNode, resolvers: object) {
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
}

export { DateTimeISOResolver as DateTimeScalar } from "graphql-scalars";
