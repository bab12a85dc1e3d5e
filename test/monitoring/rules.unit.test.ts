/**
 * The alerting rules (k8s/monitoring/prometheus-rules.yaml) with Debian's promtool: they load (`promtool check
 * rules`), and each alert fires on the input series its unit tests give it and stays silent on the others
 * (`promtool test rules` on k8s/monitoring/rules-tests). Every alert is covered both ways, carries a severity, a
 * summary, a description and a runbook_url to a page of docs/runbooks that exists, and the rules reach both
 * overlays. promtool must be installed (CI installs it; `apt-get install prometheus`).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { alertRules, loadRuleGroups, repoRoot, rulesTestsDir, writeRuleFile } from "../../scripts/monitoring/rules.js";
import { ofKind, renderOverlays } from "../k8s/lib/manifests.js";

const dir = mkdtempSync(join(tmpdir(), "fv-promtool-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const promtool = (...args: string[]) => {
  const result = spawnSync("promtool", args, { cwd: dir, encoding: "utf8" });
  if (result.error) throw new Error(`promtool could not run (apt-get install prometheus): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
};

const testFiles = readdirSync(rulesTestsDir).filter((f) => f.endsWith(".test.yaml"));
const RUNBOOK_URL =
  /^https:\/\/github\.com\/flores-victoria\/supergraph\/blob\/main\/(docs\/runbooks\/([A-Za-z]+)\.md)$/;

interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: unknown[];
}

describe("promtool", () => {
  it("is installed", () => {
    expect(execFileSync("promtool", ["--version"], { encoding: "utf8" })).toMatch(/promtool, version 2\./);
  });

  it("checks the rules: they parse, their expressions and templates are valid", () => {
    writeRuleFile(join(dir, "all-rules.yaml"));
    const { status, output } = promtool("check", "rules", "all-rules.yaml");
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
    expect(status, output).toBe(0);
    const count = loadRuleGroups().flatMap((g) => g.rules).length;
    expect(output).toContain(`SUCCESS: ${count} rules found`);
  });

  it("refuses a rule with a broken expression or template (the check is not a formality)", () => {
    const groups = loadRuleGroups();
    const broken = structuredClone(groups);
    broken[0]!.rules[0]!.expr = "sum(rate(up[5m]) by";
    writeFileSync(join(dir, "broken.yaml"), stringify({ groups: broken }));
    expect(promtool("check", "rules", "broken.yaml").status).not.toBe(0);
    const badTemplate = structuredClone(groups);
    const alert = badTemplate.flatMap((g) => g.rules).find((r) => r.alert)!;
    alert.annotations = { ...alert.annotations, summary: "{{ $labels.app " };
    writeFileSync(join(dir, "bad-template.yaml"), stringify({ groups: badTemplate }));
    expect(promtool("check", "rules", "bad-template.yaml").status).not.toBe(0);
  });

  for (const file of testFiles) {
    it(`passes the unit tests of ${file}`, () => {
      writeRuleFile(join(dir, "rules.yaml"), { annotations: false });
      cpSync(join(rulesTestsDir, file), join(dir, file));
      const { status, output } = promtool("test", "rules", file);
      expect(status, output).toBe(0);
      expect(output).toContain("SUCCESS");
    });
  }

  it("fails a unit test that expects the wrong alert (the tests can fail)", () => {
    writeRuleFile(join(dir, "rules.yaml"), { annotations: false });
    const tests = parse(readFileSync(join(rulesTestsDir, "availability.test.yaml"), "utf8"));
    const firing = tests.tests[0].alert_rule_test.find((t: AlertTest) => t.exp_alerts.length > 0);
    firing.exp_alerts = [];
    writeFileSync(join(dir, "wrong.test.yaml"), stringify(tests));
    const { status, output } = promtool("test", "rules", "wrong.test.yaml");
    expect(status).not.toBe(0);
    expect(output).toContain("FAILED");
  });
});

describe("every alert", () => {
  const alerts = alertRules();
  const cases: AlertTest[] = testFiles.flatMap((file) =>
    parse(readFileSync(join(rulesTestsDir, file), "utf8")).tests.flatMap((t: any) => t.alert_rule_test ?? []),
  );

  it("is one of those the operations issue asks for", () => {
    expect(new Set(alerts.map((a) => a.alert))).toEqual(
      new Set([
        "RouterErrorBudgetBurn",
        "CheckoutErrorBudgetBurn",
        "CatalogueLatencyBudgetBurn",
        "ServiceDown",
        "ServiceNotReady",
        "ReadinessFlapping",
        "SubgraphFetchErrors",
        "StoreErrors",
        "CheckoutFailureSpike",
        "StockReservationConflictSpike",
        "SignInFailureSpike",
        "EmailBacklog",
        "EmailDeliveryFailures",
        "OutboxBacklog",
        "EventConsumerLag",
        "PodRestarting",
        "HpaAtMaximum",
      ]),
    );
  });

  it("has a severity, a summary, a description and a runbook in docs/runbooks", () => {
    for (const alert of alerts) {
      const at = alert.alert!;
      expect(["critical", "warning"], `${at} severity`).toContain(alert.labels?.severity);
      expect(alert.annotations?.summary, `${at} summary`).toBeTruthy();
      expect(alert.annotations?.description, `${at} description`).toBeTruthy();
      const url = RUNBOOK_URL.exec(alert.annotations?.runbook_url ?? "");
      expect(url, `${at} runbook_url ${alert.annotations?.runbook_url}`).not.toBeNull();
      expect(url![2], `${at}'s runbook is named after it`).toBe(at);
      const page = join(repoRoot, url![1]!);
      expect(existsSync(page), `${url![1]} exists`).toBe(true);
      const text = readFileSync(page, "utf8");
      for (const section of ["## Meaning", "## Confirm", "## Mitigate"])
        expect(text, `${url![1]} has ${section}`).toContain(section);
    }
  });

  it("is tested firing and tested silent", () => {
    for (const name of new Set(alerts.map((a) => a.alert!))) {
      const mine = cases.filter((c) => c.alertname === name);
      expect(
        mine.some((c) => c.exp_alerts.length > 0),
        `${name} has a test where it fires`,
      ).toBe(true);
      expect(
        mine.some((c) => c.exp_alerts.length === 0),
        `${name} has a test where it stays silent`,
      ).toBe(true);
    }
  });

  it("with burn rates pages (critical) and tickets (warning) on the SLOs it states", () => {
    for (const name of ["RouterErrorBudgetBurn", "CheckoutErrorBudgetBurn", "CatalogueLatencyBudgetBurn"]) {
      const rules = alerts.filter((a) => a.alert === name);
      expect(rules.map((r) => r.labels?.severity).sort(), name).toEqual(["critical", "warning"]);
      const page = rules.find((r) => r.labels?.severity === "critical")!.expr;
      for (const window of ["rate5m", "rate1h", "rate30m", "rate6h"]) expect(page, name).toContain(window);
      expect(page).toMatch(/14\.4 \*/);
      const ticket = rules.find((r) => r.labels?.severity === "warning")!.expr;
      for (const window of ["rate2h", "rate1d", "rate6h", "rate3d"]) expect(ticket, name).toContain(window);
    }
  });
});

describe("the rules in the cluster", () => {
  it("reach both overlays as one PrometheusRule equal to the file the tests check", () => {
    const rendered = renderOverlays();
    for (const overlay of ["dev", "prod"] as const) {
      const rules = ofKind(rendered[overlay], "PrometheusRule");
      expect(rules.map((r) => r.metadata.name)).toEqual(["flores-victoria"]);
      expect(rules[0]!.spec.groups).toEqual(loadRuleGroups());
    }
  });
});
