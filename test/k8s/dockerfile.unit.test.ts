import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { execForm, instructionsOf, parseDockerfile } from "./lib/dockerfile.js";
import { containersOf, overlays, renderOverlays, repoRoot } from "./lib/manifests.js";
import { appWorkloads, mainContainer } from "./lib/checks.js";
import { fileInPackage, packageJson, serviceNames } from "./lib/code.js";

const { stages, expand } = parseDockerfile();
const runtime = stages.at(-1)!;
const build = stages.find((s) => s.name === "build")!;
const rendered = renderOverlays();
const rootPackage = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

describe("the Dockerfile", () => {
  it("builds in one stage and runs from another, both on the same pinned Node image", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build).toBeDefined();
    const image = expand(runtime.from);
    expect(expand(build.from)).toBe(image);
    const [, version] = /^node:(\d+\.\d+\.\d+)-[a-z]+(-slim)?(@sha256:[0-9a-f]{64})?$/.exec(image) ?? [];
    expect(version, `${image} names an exact Node version`).toBeDefined();
    const [major, minor] = version!.split(".").map(Number);
    // The root package.json's engines: >=20.19 <21 || >=22.
    expect(major! >= 22 || (major === 20 && minor! >= 19), `${image} satisfies ${rootPackage.engines.node}`).toBe(true);
  });

  it("packages the service with scripts/k8s/package-service.sh (pnpm deploy --legacy --prod), the lockfile's pnpm", () => {
    const runs = instructionsOf(build, "RUN").map((i) => i.args);
    expect(runs).toContain('bash scripts/k8s/package-service.sh "${SERVICE}" /srv');
    const script = readFileSync(join(repoRoot, "scripts/k8s/package-service.sh"), "utf8");
    expect(script).toMatch(/^pnpm deploy --legacy --filter "@fv\/\$service" --prod "\$out\/app"$/m);
    const pnpmVersion = rootPackage.packageManager.replace(/^pnpm@/, "");
    expect(instructionsOf(build, "ARG").map((a) => a.args)).toContain(`PNPM_VERSION=${pnpmVersion}`);
    expect(runs).toContain('npm install --global "pnpm@${PNPM_VERSION}"');
  });

  it("ships only the packaged service: no sources of the workspace, no pnpm, no dev dependencies", () => {
    const copies = instructionsOf(runtime, "COPY").map((i) => i.args);
    expect(copies).toEqual(["--from=build /srv /srv"]);
    for (const run of instructionsOf(runtime, "RUN")) expect(run.args).not.toMatch(/\b(pnpm|npm (i|install|ci))\b/);
    expect(instructionsOf(runtime, "ENV").map((i) => i.args)).toContain("NODE_ENV=production");
  });

  it("runs as the non-root user the pods run as, which exists in /etc/passwd (tsx reads its name)", () => {
    const [user, group] = instructionsOf(runtime, "USER").at(-1)!.args.split(":").map(Number);
    expect(user).toBeGreaterThan(0);
    const creates = instructionsOf(runtime, "RUN")
      .map((i) => i.args)
      .join("\n");
    expect(creates).toMatch(new RegExp(`useradd .*--uid ${user}\\b`));
    expect(creates).toMatch(new RegExp(`groupadd .*--gid ${group}\\b`));
    for (const overlay of overlays)
      for (const w of appWorkloads(rendered[overlay])) {
        const security = w.template!.spec.securityContext;
        expect([security.runAsUser, security.runAsGroup], `${overlay} ${w.name}`).toEqual([user, group]);
      }
  });

  it("starts src/main.ts with tsx from the package, as every container of the manifests does", () => {
    expect(instructionsOf(runtime, "WORKDIR").at(-1)!.args).toBe("/srv/app");
    const cmd = execForm(instructionsOf(runtime, "CMD").at(-1)!.args);
    expect(cmd).toEqual(["node", "--import", "tsx", "src/main.ts"]);
    for (const name of serviceNames) {
      expect(fileInPackage(name, "src/main.ts"), name).toBe(true);
      const pkg = packageJson(name);
      expect(pkg.name).toBe(`@fv/${name}`);
      expect(pkg.dependencies?.tsx, `${name} has tsx as a production dependency`).toBeDefined();
    }
    for (const overlay of overlays)
      for (const w of appWorkloads(rendered[overlay])) {
        const main = mainContainer(w.template!.spec);
        expect(main.command ?? main.args, `${w.name} runs the image's CMD`).toBeUndefined();
        for (const c of containersOf(w.template!.spec).filter((c) => c.command))
          expect(c.command.slice(0, 3), `${w.name} ${c.name}`).toEqual(cmd!.slice(0, 3));
      }
  });

  it("keeps secrets, local state, installed dependencies and tests out of the build context", () => {
    const ignored = readFileSync(join(repoRoot, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#"));
    for (const pattern of ["**/node_modules", ".git", "k8s", "**/.env", "**/.env.*", ".stores", "**/test"])
      expect(ignored).toContain(pattern);
  });
});
