import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import type { EventEnvelope } from "@fv/platform";
import { outbox, roleChanges, users } from "../src/db/schema.js";
import type { RoleChangedData } from "../src/role-change.js";
import { eventually, register, startUsers, storedUser, type UsersTest } from "./helpers.js";

/**
 * The first-admin bootstrap: `pnpm --filter @fv/users promote` run as a separate process against the
 * users database of a running users service, whose outbox relay publishes what the command records.
 */
const packageDir = fileURLToPath(new URL("..", import.meta.url));

let ctx: UsersTest;
beforeAll(async () => {
  ctx = await startUsers();
});
afterAll(() => ctx?.stop());

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command with the users database and events prefix in its environment, as an operator would. */
function run(file: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: packageDir,
        env: {
          PATH: process.env.PATH!,
          HOME: process.env.HOME!,
          DATABASE_URL: ctx.databaseUrl,
          EVENTS_PREFIX: ctx.eventsPrefix,
          LOG_LEVEL: "silent",
        },
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout: String(stdout), stderr }),
    );
  });
}

const promote = (...args: string[]) => run(process.execPath, ["--import", "tsx", "src/promote.ts", ...args]);

const published = async () =>
  (await ctx.redis.xrange(ctx.streams.users, "-", "+")).map(
    ([, fields]) => JSON.parse(fields[1]!) as EventEnvelope<RoleChangedData>,
  );

/** What a refused command must leave as it was. */
const snapshot = async () => ({
  roles: (await ctx.store.db.select({ id: users.id, role: users.role }).from(users)).sort((a, b) =>
    a.id.localeCompare(b.id),
  ),
  changes: (await ctx.store.db.select({ n: count() }).from(roleChanges))[0]!.n,
  outbox: (await ctx.store.db.select({ n: count() }).from(outbox))[0]!.n,
});

describe("pnpm --filter @fv/users promote", () => {
  it("makes a registered person admin, records it as done by the cli, and announces users.role_changed", async () => {
    const id = await register(ctx, "Ada Fundadora", "ada.fundadora@floresvictoria.cl");
    const started = new Date();
    // As the README says to run it (pnpm passes the "--" along; the command accepts it).
    const outcome = await run("pnpm", [
      "--silent",
      "promote",
      "--",
      "--email",
      "Ada.Fundadora@FloresVictoria.cl",
      "--role",
      "admin",
    ]);
    const finished = new Date();
    expect(outcome.stderr).toBe("");
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toContain("is now admin");
    expect((await storedUser(ctx, id))!.role).toBe("admin");

    const records = await ctx.store.db.select().from(roleChanges).where(eq(roleChanges.userId, id));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ fromRole: "customer", toRole: "admin", changedBy: "cli" });
    expect(records[0]!.changedAt.getTime()).toBeGreaterThanOrEqual(started.getTime());
    expect(records[0]!.changedAt.getTime()).toBeLessThanOrEqual(finished.getTime());

    // The running service's relay publishes it, as it does changeUserRole's: auth's consumer reads this.
    const event = await eventually(
      async () => (await published()).find((e) => e.data.userId === id),
      "users.role_changed on the users stream",
    );
    expect(event).toMatchObject({ type: "users.role_changed", data: { userId: id, role: "admin", changedBy: "cli" } });
  });

  it("changes, records and announces nothing when the person already has the role", async () => {
    const id = await register(ctx, "Mario Gerente", "mario.gerente@floresvictoria.cl");
    expect((await promote("--user-id", id, "--role", "MANAGER")).code).toBe(0);
    const before = await snapshot();
    const again = await promote("--user-id", id, "--role", "manager");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("already is manager");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses an unknown person, an unknown role and missing arguments, with one line on stderr, changing nothing", async () => {
    const id = await register(ctx, "Rosa Cliente", "rosa.cliente@example.cl");
    const before = await snapshot();
    const cases: [string[], RegExp][] = [
      [["--email", "nadie@example.cl", "--role", "admin"], /no profile has the email nadie@example.cl/],
      [["--user-id", "5f0c8c1e-4b8a-4a57-9d44-3f1b1a0c9e11", "--role", "admin"], /no profile has the id/],
      [["--email", "rosa.cliente@example.cl", "--role", "owner"], /--role must be one of customer, delivery/],
      [["--email", "rosa.cliente@example.cl"], /--role must be one of/],
      [["--role", "admin"], /give either --email or --user-id/],
      [["--email", "rosa.cliente@example.cl", "--user-id", id, "--role", "admin"], /give either --email or --user-id/],
      [["--user-id", "1", "--role", "admin"], /--user-id must be a user's id/],
    ];
    const outcomes = await Promise.all(cases.map(([args]) => promote(...args)));
    cases.forEach(([args, message], i) => {
      expect(outcomes[i]!.code, args.join(" ")).toBe(1);
      expect(outcomes[i]!.stderr.split("\n")[0], args.join(" ")).toMatch(message);
    });
    expect((await storedUser(ctx, id))!.role).toBe("customer");
    expect(await snapshot()).toEqual(before);
  }, 90_000);

  it("refuses an email two profiles share (auth owns emails; this copy is not unique) and takes the id instead", async () => {
    const first = await register(ctx, "Gemela Uno", "gemelas@example.cl");
    await register(ctx, "Gemela Dos", "gemelas@example.cl");
    const before = await snapshot();
    const ambiguous = await promote("--email", "gemelas@example.cl", "--role", "support");
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toMatch(/2 profiles have the email gemelas@example.cl: use --user-id/);
    expect(await snapshot()).toEqual(before);

    expect((await promote("--user-id", first, "--role", "support")).code).toBe(0);
    expect((await storedUser(ctx, first))!.role).toBe("support");
  });

  it("refuses to run without a database to change", async () => {
    const outcome = await new Promise<Outcome>((resolve) =>
      execFile(
        process.execPath,
        ["--import", "tsx", "src/promote.ts", "--email", "ada@example.cl", "--role", "admin"],
        { cwd: packageDir, env: { PATH: process.env.PATH!, HOME: process.env.HOME! } },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
      ),
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/DATABASE_URL \(or PGLITE_DIR\) must name the users database/);
  });
});
