import DataLoader from "dataloader";
import { inArray } from "drizzle-orm";
import { credentials, sessions, type AccountRow, type SessionRow } from "./db/schema.js";
import type { AuthDb } from "./context.js";

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

function byId<Row extends { id: string }>(load: (ids: string[]) => Promise<Row[]>) {
  return new DataLoader<string, Row | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length ? await load(valid) : [];
    const found = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => found.get(id) ?? null);
  });
}

/** One query per request for all the accounts (federation, payloads) and sessions asked for. */
export function createLoaders(db: AuthDb) {
  return {
    account: byId<AccountRow>((ids) => db.select().from(credentials).where(inArray(credentials.id, ids))),
    session: byId<SessionRow>((ids) => db.select().from(sessions).where(inArray(sessions.id, ids))),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
