import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { generate } from "@graphql-codegen/cli";
import codegenConfig, { subgraphNames } from "../codegen.js";
import { composeSupergraph, supergraphPath } from "../scripts/compose.js";

describe("committed generated files", () => {
  it("schema/supergraph.graphql composes from the subgraphs and is up to date (pnpm compose)", () => {
    expect(composeSupergraph()).toBe(readFileSync(supergraphPath, "utf8"));
  });

  it("every subgraph's resolver types are up to date (pnpm codegen)", async () => {
    const outputs: { filename: string; content: string }[] = await generate({ ...codegenConfig, silent: true }, false);
    expect(outputs.map((o) => o.filename).sort()).toEqual(
      subgraphNames.map((n) => `subgraphs/${n}/src/__generated__/resolvers-types.ts`).sort(),
    );
    for (const { filename, content } of outputs) {
      expect(readFileSync(filename, "utf8"), `${filename} is stale: run pnpm codegen`).toBe(content);
    }
  }, 60_000);
});
