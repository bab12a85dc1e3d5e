import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import {
  containersOf,
  devSecretsScript,
  find,
  ofKind,
  parseEnvFile,
  podTemplates,
  readRepoYaml,
  renderOverlays,
  repoRoot,
  secretData,
  secretKeys,
  type K8sObject,
} from "./lib/manifests.js";
import { SECRET_NAME, appWorkloads, isCredentialUrl } from "./lib/checks.js";
import { repositoryFiles, secretlint } from "./lib/secret-scan.js";

const rendered = renderOverlays();
const scratch = mkdtempSync(join(tmpdir(), "fv-k8s-secrets-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const runScript = (...args: string[]) =>
  spawnSync("bash", [devSecretsScript, ...args], { encoding: "utf8", timeout: 60_000 });
const readSecretFiles = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, parseEnvFile(readFileSync(join(dir, f), "utf8"))]));

/** Literal values in manifests that carry a credential: secret-named variables, URLs with a password. */
function literalCredentials(objects: K8sObject[]): string[] {
  const problems: string[] = [];
  for (const secret of ofKind(objects, "Secret"))
    if (!/-[bcdfghkmt2-9]{10}$/.test(secret.metadata.name))
      problems.push(`Secret/${secret.metadata.name} is not generated`);
  for (const cm of ofKind(objects, "ConfigMap"))
    for (const [key, value] of Object.entries((cm.data ?? {}) as Record<string, string>))
      if (SECRET_NAME.test(key) || isCredentialUrl(value)) problems.push(`ConfigMap/${cm.metadata.name}: ${key}`);
  for (const w of podTemplates(objects))
    for (const c of containersOf(w.template?.spec))
      for (const entry of c.env ?? [])
        if ("value" in entry && (SECRET_NAME.test(entry.name) || isCredentialUrl(String(entry.value))))
          problems.push(`${w.kind}/${w.name} ${c.name}: ${entry.name} is a literal`);
  return problems;
}

/** Which keys of which Secrets the services' containers read, and which keys those Secrets hold (by their names
 * without the hash of generated ones). */
function secretsOfServices(objects: K8sObject[]) {
  const base = (name: string) => name.replace(/-[bcdfghkmt2-9]{10}$/, "");
  const read = new Map<string, Set<string>>();
  const actual = new Map<string, string>();
  const add = (name: string, key: string) => {
    actual.set(base(name), name);
    read.set(base(name), (read.get(base(name)) ?? new Set()).add(key));
  };
  for (const w of appWorkloads(objects))
    for (const c of containersOf(w.template!.spec)) {
      for (const e of c.env ?? [])
        // An optional key (SERVICE_CREDENTIAL_ALSO_ACCEPTED, set only during a rotation) need not be provided.
        if (e.valueFrom?.secretKeyRef && !e.valueFrom.secretKeyRef.optional)
          add(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key);
      for (const from of c.envFrom ?? [])
        if (from.secretRef)
          for (const key of secretKeys(objects, from.secretRef.name) ?? []) add(from.secretRef.name, key);
    }
  const sorted = (entries: [string, Iterable<string>][]) =>
    Object.fromEntries(entries.map(([k, v]) => [k, [...v].sort()] as const).sort(([a], [b]) => a.localeCompare(b)));
  return {
    read: sorted([...read]),
    provided: sorted([...actual].map(([name, real]) => [name, secretKeys(objects, real) ?? []])),
  };
}

describe("no credential is in the repository", () => {
  it("secretlint finds nothing in any file the next commit could hold", () => {
    const files = repositoryFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files.some((f) => f.startsWith("k8s/overlays/dev/secrets/"))).toBe(false);
    expect(secretlint(files)).toEqual([]);
  });

  it("secretlint would find the credentials the dev script writes, were they committed", () => {
    const dir = join(scratch, "committed");
    execFileSync("bash", [devSecretsScript, dir], { stdio: "ignore" });
    const findings = secretlint(readdirSync(dir).map((f) => join(dir, f)));
    const flagged = new Set(findings.map((f) => f.file.split("/").pop()));
    for (const file of [
      "auth.env",
      "users.env",
      "products.env",
      "orders.env",
      "wishlist.env",
      "reviews.env",
      "contact.env",
    ])
      expect(flagged, `${file} is flagged`).toContain(file);
  });

  it("manifests carry no Secret of their own and no credential as a literal", () => {
    for (const overlay of ["dev", "prod"] as const) expect(literalCredentials(rendered[overlay])).toEqual([]);
    for (const file of repositoryFiles().filter((f) => f.startsWith("k8s/") && /\.ya?ml$/.test(f))) {
      const text = readFileSync(join(repoRoot, file), "utf8");
      expect(text, file).not.toMatch(/^kind:\s*Secret\s*$/m);
    }
    for (const file of repositoryFiles().filter((f) => f.startsWith("k8s/") && f.endsWith(".env")))
      for (const [key, value] of Object.entries(parseEnvFile(readFileSync(join(repoRoot, file), "utf8"))))
        expect(SECRET_NAME.test(key) || isCredentialUrl(value), `${file}: ${key}`).toBe(false);
  });

  it("the literal-credential check catches a password in a ConfigMap or an env value", () => {
    const broken = structuredClone(rendered.dev);
    find(broken, "ConfigMap", ofKind(broken, "ConfigMap")[0]!.metadata.name)!.data.REDIS_URL =
      "redis://:s3cr3t-s3cr3t@redis:6379";
    podTemplates(broken)[0]!.template!.spec.containers[0].env.push({ name: "SMTP_PASSWORD", value: "x" });
    broken.push({ apiVersion: "v1", kind: "Secret", metadata: { name: "smtp" }, stringData: { SMTP_PASSWORD: "x" } });
    expect(literalCredentials(broken)).toHaveLength(3);
  });
});

describe("dev secrets (scripts/k8s/dev-secrets.sh)", () => {
  const generators: { name: string; envs: string[] }[] = readRepoYaml(
    "k8s/overlays/dev/kustomization.yaml",
  ).secretGenerator;

  it("writes every file the dev overlay's secretGenerator reads, readable by its owner only", () => {
    const dir = join(scratch, "fresh");
    const result = runScript(dir);
    expect(result.status, result.stderr).toBe(0);
    const expected = generators.flatMap((g) => g.envs.map((e) => e.replace(/^secrets\//, ""))).sort();
    expect(readdirSync(dir).sort()).toEqual(expected);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const file of readdirSync(dir)) expect(statSync(join(dir, file)).mode & 0o777, file).toBe(0o600);
  });

  it("writes passwords that the stores and the services' URLs agree on", () => {
    const files = readSecretFiles(join(scratch, "fresh"));
    const postgres = files["postgres.env"]!;
    for (const service of ["auth", "users", "products", "orders"]) {
      const url = new URL(files[`${service}.env`]!.DATABASE_URL!);
      expect([url.username, url.password, url.hostname, url.pathname]).toEqual([
        `fv_${service}`,
        postgres[`${service.toUpperCase()}_DB_PASSWORD`],
        "postgres",
        `/fv_${service}`,
      ]);
    }
    for (const service of ["wishlist", "reviews", "contact"]) {
      const url = new URL(files[`${service}.env`]!.MONGODB_URL!);
      expect([url.username, url.password]).toEqual([
        service,
        files["mongodb.env"]![`${service.toUpperCase()}_DB_PASSWORD`],
      ]);
    }
    for (const service of ["router", "auth", "users", "cart"])
      expect(new URL(files[`${service}.env`]!.REDIS_URL!).password).toBe(files["redis.env"]!.REDIS_PASSWORD);
    const values = Object.values(files).flatMap((f) => Object.values(f));
    expect(values.every((v) => v.length > 0)).toBe(true);
  });

  it("keeps existing files, refuses a partial set, replaces them all with --force", () => {
    const dir = join(scratch, "fresh");
    const before = readSecretFiles(dir);
    expect(runScript(dir).status).toBe(0);
    expect(readSecretFiles(dir)).toEqual(before);
    rmSync(join(dir, "cart.env"));
    const partial = runScript(dir);
    expect(partial.status).toBe(1);
    expect(partial.stderr).toMatch(/--force/);
    expect(runScript("--force", dir).status).toBe(0);
    const after = readSecretFiles(dir);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    expect(after["service-credential.env"]!.SERVICE_CREDENTIAL).not.toBe(
      before["service-credential.env"]!.SERVICE_CREDENTIAL,
    );
  });

  it("writes where git ignores, so the files cannot be committed by mistake", () => {
    const ignored = spawnSync("git", ["check-ignore", "--quiet", "k8s/overlays/dev/secrets/auth.env"], {
      cwd: repoRoot,
    });
    expect(ignored.status).toBe(0);
  });

  it("generates Secrets from which the dev overlay renders", () => {
    const auth = ofKind(rendered.dev, "Secret").find((s) => s.metadata.name.startsWith("auth-secrets-"))!;
    expect(Object.keys(secretData(auth)).sort()).toEqual(Object.keys(rendered.devSecretFiles["auth.env"]!).sort());
  });
});

describe("dev and prod give the services the same secrets", () => {
  it("every Secret a service reads exists in both overlays, read the same way, with the same keys", () => {
    const dev = secretsOfServices(rendered.dev);
    const prod = secretsOfServices(rendered.prod);
    expect(dev.read).toEqual(prod.read);
    expect(dev.provided).toEqual(prod.provided);
    for (const [name, keys] of Object.entries(dev.read))
      expect(dev.provided[name], name).toEqual(expect.arrayContaining(keys));
  });

  it("the prod ExternalSecrets read one Vault entry per service, through the declared SecretStore", () => {
    const prodYaml = parseYaml(readFileSync(join(repoRoot, "k8s/overlays/prod/kustomization.yaml"), "utf8"));
    expect(prodYaml.resources).toContain("external-secrets.yaml");
    for (const external of ofKind(rendered.prod, "ExternalSecret"))
      for (const entry of external.spec.data) expect(entry.remoteRef.key).toMatch(/^flores-victoria\/[a-z-]+$/);
  });
});
