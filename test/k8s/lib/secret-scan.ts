import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./manifests.js";

export interface Finding {
  file: string;
  line: number;
  rule: string;
  message: string;
}

/** Files of the repository as the next commit could hold them: tracked, or new and not ignored. */
export function repositoryFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: repoRoot,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split("\0").filter(Boolean))].filter((f) => {
    const path = join(repoRoot, f);
    return existsSync(path) && statSync(path).isFile();
  });
}

/**
 * secretlint (the recommended rule preset, .secretlintrc.json at the root) over `files` (paths relative to
 * the repository, or absolute).
 */
export function secretlint(files: string[]): Finding[] {
  const findings: Finding[] = [];
  // Batches keep the command line short.
  for (let i = 0; i < files.length; i += 400) {
    const batch = files.slice(i, i + 400);
    const result = spawnSync(
      join(repoRoot, "node_modules/.bin/secretlint"),
      [
        "--format",
        "json",
        "--no-glob",
        "--no-color",
        "--no-terminalLink",
        "--secretlintrc",
        join(repoRoot, ".secretlintrc.json"),
        ...batch,
      ],
      { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
    );
    if (result.error) throw result.error;
    if (result.status !== 0 && result.status !== 1)
      throw new Error(`secretlint failed: ${result.stderr || result.stdout}`);
    const reports = JSON.parse(result.stdout || "[]") as {
      filePath: string;
      messages: { ruleId: string; message: string; loc: { start: { line: number } } }[];
    }[];
    for (const report of reports)
      for (const m of report.messages)
        findings.push({ file: report.filePath, line: m.loc.start.line, rule: m.ruleId, message: m.message });
  }
  return findings;
}
