import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./manifests.js";

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** The Dockerfile's global ARG defaults and its stages (continuation lines joined, comments dropped). */
export function parseDockerfile(text = readFileSync(join(repoRoot, "Dockerfile"), "utf8")) {
  const lines = text
    .replace(/\\\r?\n/g, " ")
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const globalArgs: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = "", args = ""] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === "FROM") {
      const [, from = "", name] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args) ?? [];
      stages.push({ from, name, instructions: [] });
    } else if (!stages.length && upper === "ARG") {
      const [name, value = ""] = args.split("=");
      globalArgs[name!.trim()] = value.trim();
    } else stages.at(-1)?.instructions.push({ keyword: upper, args });
  }
  const expand = (value: string) =>
    value.replace(/\$\{?(\w+)\}?/g, (_m, name: string) => globalArgs[name] ?? `$${name}`);
  return { globalArgs, stages, expand };
}

export const instructionsOf = (stage: Stage, keyword: string) =>
  stage.instructions.filter((i) => i.keyword === keyword);

/** A JSON-array (exec form) instruction's argv. */
export const execForm = (args: string): string[] | undefined => {
  try {
    const value = JSON.parse(args);
    return Array.isArray(value) ? value.map(String) : undefined;
  } catch {
    return undefined;
  }
};
