import DataLoader from "dataloader";
import { inArray } from "drizzle-orm";
import { credentials, type AccountRow } from "./db/schema.js";
import type { AuthDb } from "./context.js";

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** One query per request for all the accounts federation asks for. */
export function createLoaders(db: AuthDb) {
  return {
    account: new DataLoader<string, AccountRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await db.select().from(credentials).where(inArray(credentials.id, valid)) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
