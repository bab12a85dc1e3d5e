/**
 * The backup CronJobs (k8s/backups) against the code and the rest of the manifests, in both overlays: every
 * database a service owns (scripts/services.ts) is backed up by one CronJob running scripts/backup/backup.ts —
 * the script test/ops/backup-restore.int.test.ts proves restorable — with the service's own Secret and database
 * name, onto the `backups` volume, with retention, one job at a time. (Hardening and references are checked for
 * these pods by test/k8s like every other pod.)
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { subgraphs } from "../../scripts/services.js";
import { find, ofKind, renderOverlays, repoRoot, secretKeys, type K8sObject } from "../k8s/lib/manifests.js";

const rendered = renderOverlays();
const databases = subgraphs.flatMap((s) =>
  s.stores.filter((k) => k === "postgres" || k === "mongodb").map((kind) => ({ name: s.name, kind })),
);

const argValue = (args: string[], flag: string) => args[args.indexOf(flag) + 1];

/** Where the service's own container reads `variable`: { secretKeyRef } / { configMapKeyRef } / { value } / { configMapRef }. */
function serviceEnvSource(objects: K8sObject[], service: string, variable: string): any {
  const deployment = find(objects, "Deployment", service);
  const container =
    deployment?.spec?.template?.spec?.containers?.find((c: any) => c.name === service) ??
    deployment?.spec?.template?.spec?.containers?.[0];
  const entry = container?.env?.find((e: any) => e.name === variable);
  if (entry) return entry.value !== undefined ? { value: entry.value } : entry.valueFrom;
  for (const from of container?.envFrom ?? [])
    if (from.configMapRef && configMapValue(objects, from.configMapRef.name, variable) !== undefined)
      return { configMapRef: from.configMapRef.name };
  throw new Error(`${service} does not read ${variable}`);
}

function configMapValue(objects: K8sObject[], name: string, key: string): string | undefined {
  return find(objects, "ConfigMap", name)?.data?.[key];
}

describe.each(["dev", "prod"] as const)("the %s overlay's backups", (overlay) => {
  const objects = rendered[overlay];
  const cronJobs = ofKind(objects, "CronJob");

  it("back up every database a service owns, once each", () => {
    expect(databases.length).toBeGreaterThanOrEqual(7);
    const backedUp = cronJobs.map((c) => {
      const args: string[] = c.spec.jobTemplate.spec.template.spec.containers[0].args;
      return { name: argValue(args, "--name"), kind: argValue(args, "--kind") };
    });
    expect(backedUp.sort((a, b) => a.name!.localeCompare(b.name!))).toEqual(
      [...databases].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  for (const { name, kind } of databases) {
    it(`back up ${name} (${kind}) with its own credentials and database, with retention, onto the backups volume`, () => {
      const cron = cronJobs.find((c) => c.metadata.name === `backup-${name}`);
      expect(cron, `CronJob/backup-${name}`).toBeDefined();
      expect(cron!.spec.concurrencyPolicy).toBe("Forbid");
      expect(cron!.spec.schedule).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
      const pod = cron!.spec.jobTemplate.spec.template.spec;
      const container = pod.containers[0];
      expect(container.image).toMatch(/\/flores-victoria\/backup:[\w.-]+$/);
      const args: string[] = container.args;
      expect(args[0]).toBe("backup");
      expect(argValue(args, "--kind")).toBe(kind);
      expect(Number(argValue(args, "--keep"))).toBeGreaterThanOrEqual(7);
      const dest = argValue(args, "--dest");
      const mount = container.volumeMounts.find((m: any) => m.mountPath === dest);
      const volume = pod.volumes.find((v: any) => v.name === mount?.name);
      const claim = volume?.persistentVolumeClaim?.claimName;
      expect(find(objects, "PersistentVolumeClaim", claim), `the --dest ${dest} is the PVC ${claim}`).toBeDefined();

      const env = Object.fromEntries(container.env.map((e: any) => [e.name, e]));
      expect(env.BACKUP_URL.value, "the URL is no literal").toBeUndefined();
      const secretRef = env.BACKUP_URL.valueFrom.secretKeyRef;
      const key = kind === "postgres" ? "DATABASE_URL" : "MONGODB_URL";
      expect(secretRef).toEqual(serviceEnvSource(objects, name, key).secretKeyRef);
      expect(secretKeys(objects, secretRef.name), `Secret ${secretRef.name}`).toContain(secretRef.key);
      if (kind === "mongodb") {
        const ref = env.BACKUP_DATABASE.valueFrom.configMapKeyRef;
        const own = serviceEnvSource(objects, name, "MONGODB_DATABASE");
        expect(configMapValue(objects, ref.name, ref.key), `${ref.name} ${ref.key}`).toBe(
          own.value ?? configMapValue(objects, own.configMapKeyRef?.name ?? own.configMapRef, "MONGODB_DATABASE"),
        );
      }
    });
  }

  it("run one at a time: distinct schedules", () => {
    const schedules = cronJobs.map((c) => c.spec.schedule);
    expect(new Set(schedules).size).toBe(schedules.length);
  });
});

describe("the backup image", () => {
  it("runs scripts/backup/backup.ts from where the CronJobs' arguments expect it", () => {
    const dockerfile = readFileSync(join(repoRoot, "scripts/backup/Dockerfile"), "utf8");
    expect(dockerfile).toContain("cp scripts/backup/backup.ts /srv/app/backup/backup.ts");
    expect(dockerfile).toMatch(/ENTRYPOINT \["node", "--import", "tsx", "backup\/backup\.ts"\]/);
    expect(dockerfile).toMatch(/postgresql-client-15/);
    expect(dockerfile).toMatch(/USER 10001:10001/);
    const script = readFileSync(join(repoRoot, "scripts/backup/backup.ts"), "utf8");
    for (const flag of ["kind", "name", "dest", "keep"]) expect(script).toContain(`${flag}: { type: "string" }`);
  });
});
