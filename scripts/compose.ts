import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "graphql";
import { composeServices } from "@apollo/composition";
import { subgraphs } from "./services.js";

const root = fileURLToPath(new URL("..", import.meta.url));
export const supergraphPath = `${root}schema/supergraph.graphql`;

/** Composes the subgraphs' SDL into the supergraph, as Rover would; throws with every composition error. */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphs.map(({ name, dir, port }) => ({
      name,
      url: `http://localhost:${port}/graphql`,
      typeDefs: parse(readFileSync(`${root}${dir}/schema.graphql`, "utf8")),
    })),
  );
  if (result.errors) {
    throw new Error(`the subgraphs do not compose:\n${result.errors.map((e) => `- ${e.message}`).join("\n")}`);
  }
  for (const hint of result.hints ?? []) console.warn(`hint: ${hint.toString()}`);
  return result.supergraphSdl;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    writeFileSync(supergraphPath, composeSupergraph());
    console.log(`wrote ${supergraphPath}`);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
