import DataLoader from "dataloader";
import { asc, inArray } from "drizzle-orm";
import { addresses, users, type AddressRow, type UserRow } from "./db/schema.js";
import type { UsersDb } from "./context.js";

export const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

/** One query per request for all the users federation asks for, and one for all their addresses. */
export function createLoaders(db: UsersDb) {
  return {
    user: new DataLoader<string, UserRow | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length ? await db.select().from(users).where(inArray(users.id, valid)) : [];
      const found = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => found.get(id) ?? null);
    }),
    addressesByUser: new DataLoader<string, AddressRow[]>(async (userIds) => {
      const rows = await db
        .select()
        .from(addresses)
        .where(inArray(addresses.userId, [...userIds]))
        .orderBy(asc(addresses.createdAt), asc(addresses.id));
      const byUser = new Map<string, AddressRow[]>(userIds.map((id) => [id, []]));
      for (const row of rows) byUser.get(row.userId)?.push(row);
      return userIds.map((id) => byUser.get(id) ?? []);
    }),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
