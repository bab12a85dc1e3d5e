import { execFileSync } from "node:child_process";

/**
 * Integration and end-to-end tests talk to real stores. Make sure they are there (the same
 * idempotent script `pnpm start` uses); each test file then creates its own database or prefix.
 */
export default function setup() {
  execFileSync("bash", ["scripts/stores.sh", "up"], {
    stdio: "inherit",
    env: { ...process.env, SKIP_MIGRATIONS: "1" },
  });
}
