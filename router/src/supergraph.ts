import { readFileSync } from "node:fs";

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

/** The subgraphs a composed supergraph names (its `join__Graph` enum), with their URLs. */
export function subgraphsOf(supergraphSdl: string): SubgraphEndpoint[] {
  const found = [...supergraphSdl.matchAll(/@join__graph\(name:\s*"([^"]+)",\s*url:\s*"([^"]+)"\)/g)];
  return found.map(([, name, url]) => ({ name: name!, url: url! }));
}

export function readSupergraph(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read the supergraph at ${path} (run \`pnpm compose\`): ${(error as Error).message}`);
  }
}

/** The readiness route of a subgraph, next to its /graphql. */
export const readinessUrl = (graphqlUrl: string) => new URL("/health/ready", graphqlUrl).toString();
