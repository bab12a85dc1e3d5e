/**
 * Sets a person's role straight in the users database: how the first admin comes to be (only an
 * admin may change roles through the API), and how an operator recovers when no admin is left.
 *
 *   pnpm --filter @fv/users promote --email ana@floresvictoria.cl --role admin
 *   pnpm --filter @fv/users promote --user-id <uuid> --role manager
 *   (in a cluster: kubectl exec deploy/users -- node --import tsx src/promote.ts --email … --role admin)
 *
 * Reads DATABASE_URL (or PGLITE_DIR) and EVENTS_PREFIX as the service does. The change is recorded
 * with changedBy "cli" and announced as `users.role_changed` through the users outbox, exactly as
 * changeUserRole does: the running users service relays it, auth applies it, and the person's next
 * token (sign-in or refresh) carries the role. The person must have a profile (registered).
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { STREAMS, authConfigShape, createLogger, databaseConfigShape, isRole, loadConfig } from "@fv/platform";
import { createStore } from "./server.js";
import { users } from "./db/schema.js";
import { isUuid } from "./loaders.js";
import { setRole } from "./role-change.js";
import { ROLES } from "./roles.js";

const USAGE = `usage: promote (--email <email> | --user-id <id>) --role <${ROLES.join("|")}>`;

function fail(message: string): never {
  process.stderr.write(`promote: ${message}\n`);
  process.exit(1);
}

// `pnpm … promote -- --email x` passes the separator along.
const argv = process.argv.slice(2);
let args;
try {
  args = parseArgs({
    args: argv[0] === "--" ? argv.slice(1) : argv,
    options: { email: { type: "string" }, "user-id": { type: "string" }, role: { type: "string" } },
    strict: true,
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
const role = args.role?.trim().toLowerCase();
if (!role || !isRole(role)) fail(`--role must be one of ${ROLES.join(", ")}\n${USAGE}`);
if (!args.email === !args["user-id"]) fail(`give either --email or --user-id\n${USAGE}`);
if (args["user-id"] !== undefined && !isUuid(args["user-id"])) fail("--user-id must be a user's id (a UUID)");

const config = loadConfig({ ...databaseConfigShape, EVENTS_PREFIX: authConfigShape.EVENTS_PREFIX });
if (!config.DATABASE_URL && !config.PGLITE_DIR) fail("DATABASE_URL (or PGLITE_DIR) must name the users database");
const store = createStore(config, createLogger("users-promote", config.LOG_LEVEL));
try {
  let userId = args["user-id"];
  if (args.email) {
    // The email is auth's, copied here; it is not unique in this database, so an ambiguous one is refused.
    const matches = await store.db
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = lower(${args.email.trim()})`);
    if (matches.length === 0)
      fail(`no profile has the email ${args.email} (profiles arrive from auth once the person registers)`);
    if (matches.length > 1) fail(`${matches.length} profiles have the email ${args.email}: use --user-id`);
    userId = matches[0]!.id;
  }
  const result = await setRole(store.db, {
    userId: userId!,
    role,
    changedBy: "cli",
    usersStream: `${config.EVENTS_PREFIX}${STREAMS.users}`,
  });
  if (!result) fail(`no profile has the id ${userId}`);
  process.stdout.write(
    result.changed
      ? `${result.user.email} (${result.user.id}) is now ${role}; their next token carries it\n`
      : `${result.user.email} (${result.user.id}) already is ${role}; nothing changed\n`,
  );
} finally {
  await store.close();
}
