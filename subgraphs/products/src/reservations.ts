import { and, asc, eq, gte, sql } from "drizzle-orm";
import { userError, type UserError } from "@fv/platform";
import { products, reservationLines, reservations, type ReservationRow } from "./db/schema.js";
import { isUuid } from "./loaders.js";
import type { ProductsDb } from "./context.js";

export interface ReservationLineView {
  productId: string;
  quantity: number;
}
export interface ReservationView extends Pick<ReservationRow, "orderRef" | "status" | "expiresAt"> {
  lines: ReservationLineView[];
}
export interface ReservationResult {
  reservation: ReservationView | null;
  errors: UserError[];
}

type Tx = Parameters<Parameters<ProductsDb["transaction"]>[0]>[0];

/** Aborts a transaction with the UserErrors to return instead. */
class Refused extends Error {
  constructor(readonly errors: UserError[]) {
    super("refused");
  }
}

async function view(tx: Tx | ProductsDb, row: ReservationRow): Promise<ReservationView> {
  const lines = await tx
    .select({ productId: reservationLines.productId, quantity: reservationLines.quantity })
    .from(reservationLines)
    .where(eq(reservationLines.orderRef, row.orderRef))
    .orderBy(asc(reservationLines.productId));
  return { orderRef: row.orderRef, status: row.status, expiresAt: row.expiresAt, lines };
}

/**
 * Gives back the stock of every unconfirmed reservation past its expiry, in one statement: a
 * concurrent confirm holds the reservation row, and this UPDATE re-checks the status after it.
 */
export async function expireReservations(db: ProductsDb | Tx): Promise<void> {
  await db.execute(sql`
    with expired as (
      update ${reservations} set status = 'EXPIRED', updated_at = now()
      where status = 'ACTIVE' and expires_at < now()
      returning order_ref
    ), totals as (
      select product_id, sum(quantity)::int as quantity from ${reservationLines}
      where order_ref in (select order_ref from expired) group by product_id
    )
    update ${products} set reserved = ${products}.reserved - totals.quantity
    from totals where ${products}.id = totals.product_id`);
}

export function validateLines(orderRef: string, lines: readonly ReservationLineView[]): UserError[] {
  const errors: UserError[] = [];
  if (!orderRef.trim() || orderRef.length > 100)
    errors.push(userError("orderRef", "INVALID_ORDER_REF", "orderRef must be 1 to 100 characters"));
  if (lines.length === 0) errors.push(userError("lines", "EMPTY", "at least one line is needed"));
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (!isUuid(line.productId))
      errors.push(userError(["lines", String(i), "productId"], "UNKNOWN_PRODUCT", "no such product"));
    if (seen.has(line.productId))
      errors.push(userError(["lines", String(i), "productId"], "DUPLICATE_PRODUCT", "one line per product"));
    seen.add(line.productId);
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > 1000)
      errors.push(userError(["lines", String(i), "quantity"], "INVALID_QUANTITY", "quantity must be 1 to 1000"));
  });
  return errors;
}

/** All lines or none. Calling again with the same orderRef returns the reservation made the first time. */
export async function reserveStock(
  db: ProductsDb,
  orderRef: string,
  lines: readonly ReservationLineView[],
  ttlMs: number,
): Promise<ReservationResult> {
  const errors = validateLines(orderRef, lines);
  if (errors.length) return { reservation: null, errors };
  const [existing] = await db.select().from(reservations).where(eq(reservations.orderRef, orderRef));
  if (existing) return { reservation: await view(db, existing), errors: [] };
  await expireReservations(db);
  try {
    return await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(reservations)
        .values({ orderRef, expiresAt: new Date(Date.now() + ttlMs) })
        .onConflictDoNothing()
        .returning();
      if (!created) {
        // The same order reserved concurrently: that reservation stands.
        const [other] = await tx.select().from(reservations).where(eq(reservations.orderRef, orderRef));
        return { reservation: await view(tx, other!), errors: [] };
      }
      // Products in id order, so two orders sharing products lock them in the same order.
      const ordered = lines
        .map((line, index) => ({ ...line, index }))
        .sort((a, b) => a.productId.localeCompare(b.productId));
      const refused: UserError[] = [];
      for (const line of ordered) {
        const held = await tx
          .update(products)
          .set({ reserved: sql`${products.reserved} + ${line.quantity}` })
          .where(
            and(
              eq(products.id, line.productId),
              eq(products.active, true),
              gte(sql`${products.stockOnHand} - ${products.reserved}`, line.quantity),
            ),
          )
          .returning({ id: products.id });
        if (!held.length)
          refused.push(
            userError(
              ["lines", String(line.index), "quantity"],
              "INSUFFICIENT_STOCK",
              "not enough stock for this line",
            ),
          );
      }
      if (refused.length) throw new Refused(refused);
      await tx
        .insert(reservationLines)
        .values(lines.map((l) => ({ orderRef, productId: l.productId, quantity: l.quantity })));
      return { reservation: await view(tx, created), errors: [] };
    });
  } catch (error) {
    if (error instanceof Refused) return { reservation: null, errors: error.errors };
    throw error;
  }
}

async function settle(db: ProductsDb, orderRef: string, outcome: "CONFIRMED" | "RELEASED"): Promise<ReservationResult> {
  try {
    return await db
      .transaction(async (tx) => {
        const [row] = await tx.select().from(reservations).where(eq(reservations.orderRef, orderRef)).for("update");
        if (!row) throw new Refused([userError("orderRef", "NOT_FOUND", "no reservation for this orderRef")]);
        if (row.status === outcome) return { reservation: await view(tx, row), errors: [] };
        if (outcome === "RELEASED" && row.status === "EXPIRED") return { reservation: await view(tx, row), errors: [] };
        // A paid order cancelled before delivery: its units come back to the shelf.
        if (outcome === "RELEASED" && row.status === "CONFIRMED") {
          const held = await view(tx, row);
          for (const line of held.lines)
            await tx
              .update(products)
              .set({ stockOnHand: sql`${products.stockOnHand} + ${line.quantity}` })
              .where(eq(products.id, line.productId));
          const [restocked] = await tx
            .update(reservations)
            .set({ status: "RELEASED", updatedAt: new Date() })
            .where(eq(reservations.orderRef, orderRef))
            .returning();
          return { reservation: { ...held, status: restocked!.status }, errors: [] };
        }
        if (row.status !== "ACTIVE")
          throw new Refused([
            userError("orderRef", `RESERVATION_${row.status}`, `the reservation is ${row.status.toLowerCase()}`),
          ]);
        const lines = await view(tx, row);
        const expired = outcome === "CONFIRMED" && row.expiresAt.getTime() < Date.now();
        for (const line of lines.lines) {
          await tx
            .update(products)
            .set(
              outcome === "CONFIRMED" && !expired
                ? {
                    stockOnHand: sql`${products.stockOnHand} - ${line.quantity}`,
                    reserved: sql`${products.reserved} - ${line.quantity}`,
                  }
                : { reserved: sql`${products.reserved} - ${line.quantity}` },
            )
            .where(eq(products.id, line.productId));
        }
        const status = expired ? "EXPIRED" : outcome;
        const [updated] = await tx
          .update(reservations)
          .set({ status, updatedAt: new Date() })
          .where(eq(reservations.orderRef, orderRef))
          .returning();
        if (expired) return { expired: true as const, reservation: { ...lines, status: updated!.status } };
        return { reservation: { ...lines, status: updated!.status }, errors: [] };
      })
      .then((result) =>
        "expired" in result
          ? { reservation: null, errors: [userError("orderRef", "RESERVATION_EXPIRED", "the reservation has expired")] }
          : result,
      );
  } catch (error) {
    if (error instanceof Refused) return { reservation: null, errors: error.errors };
    throw error;
  }
}

/** The reserved units leave the shelf. Confirming twice is harmless. */
export const confirmReservation = (db: ProductsDb, orderRef: string) => settle(db, orderRef, "CONFIRMED");
/**
 * The reserved units return to sale; for a confirmed reservation (a paid order cancelled), the units
 * that left the shelf come back. Releasing twice (or after expiry) is harmless.
 */
export const releaseReservation = (db: ProductsDb, orderRef: string) => settle(db, orderRef, "RELEASED");
