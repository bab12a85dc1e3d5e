import { createHash } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { PeerError, userError, type Caller, type UserError } from "@fv/platform";
import { orders, promotionRedemptions, promotions, type OrderRow } from "../db/schema.js";
import { deliveryQuote } from "../delivery/index.js";
import { promotionDiscount } from "../promotions/rules.js";
import { applyStatusChange, insertOrder } from "../orders.js";
import { fetchCartLines, reserveStock } from "../peers.js";
import { catalogueUnavailable, priceLines } from "./pricing.js";
import { enqueueReservationTask } from "../reservation-tasks.js";
import type { CheckoutRequest } from "./checkout-input.js";
import type { OrdersDb, OrdersDeps, OrdersTx } from "../context.js";

export interface CheckoutCall {
  caller: Caller;
  requestId?: string;
  /** The buyer's Authorization header, passed to the cart so it decides who may read the cart. */
  authorization?: string;
  now?: Date;
}

export type CheckoutResult = { order: OrderRow; errors: [] } | { order: null; errors: UserError[] };

/** A reservation outlives the payment window by this much, so a late approval finds stock still held. */
const RESERVATION_MARGIN_MS = 30_000;

class Refused extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors[0]?.message);
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The same purchase retried: same buyer (scope), same key. Different content under the key is refused. */
const idempotencyOf = (request: CheckoutRequest, customerId: string | null) => {
  const scope = customerId ?? `guest:${request.buyer.email}`;
  const { idempotencyKey, ...content } = request;
  return {
    scope,
    key: idempotencyKey,
    requestHash: sha256(JSON.stringify(content)),
    // Products keeps reservations by this reference: a retry reserves nothing twice.
    orderRef: `chk-${sha256(`${scope}\n${idempotencyKey}`).slice(0, 40)}`,
  };
};

/**
 * Places an order (see `checkout` in schema.graphql). Order of work: refuse what the input alone
 * refuses; price the lines from the catalogue; compute promotion, delivery and total here; reserve
 * the stock (all or nothing); write the order, its lines, its history and its `order_placed` event
 * in one transaction; start the payment. Anything failing after the reservation releases it.
 */
export async function checkout(
  deps: OrdersDeps,
  call: CheckoutCall,
  request: CheckoutRequest,
): Promise<CheckoutResult> {
  const result = await placeOrder(deps, call, request).catch((error: unknown) => {
    deps.metrics.checkoutFailures.inc({ reason: "INTERNAL" });
    throw error;
  });
  if (result.errors.length) deps.metrics.checkoutFailures.inc({ reason: result.errors[0]!.code });
  return result;
}

async function placeOrder(deps: OrdersDeps, call: CheckoutCall, request: CheckoutRequest): Promise<CheckoutResult> {
  const { db, peers } = deps;
  const now = call.now ?? new Date();
  const customerId = call.caller.kind === "user" ? call.caller.userId.toLowerCase() : null;
  const idem = idempotencyOf(request, customerId);
  const refuse = (...errors: UserError[]): CheckoutResult => ({ order: null, errors });

  const replay = await findByIdempotency(deps, idem.scope, idem.key);
  if (replay) {
    if (replay.requestHash === idem.requestHash) return { order: replay, errors: [] };
    return refuse(
      userError(
        ["input", "idempotencyKey"],
        "IDEMPOTENCY_KEY_REUSED",
        "this idempotencyKey was used for a different checkout; make a new key for a new purchase",
      ),
    );
  }

  // The lines: the cart's (read as the buyer, so the cart decides whose cart it is) or the input's.
  let wanted = request.lines;
  const lineField = (i: number, field: string) =>
    request.cartId ? ["input", "cartId"] : ["input", "lines", String(i), field];
  if (request.cartId) {
    try {
      wanted = await fetchCartLines(peers, request.cartId, {
        requestId: call.requestId,
        authorization: call.authorization,
      });
    } catch (error) {
      if (!(error instanceof PeerError)) throw error;
      return refuse(userError(["input", "cartId"], "CART_UNAVAILABLE", "the cart cannot be read right now; try again"));
    }
    if (wanted === null) return refuse(userError(["input", "cartId"], "CART_NOT_FOUND", "no such cart"));
    if (wanted.length === 0) return refuse(userError(["input", "cartId"], "CART_EMPTY", "the cart is empty"));
  }
  const lines = wanted!;

  // Prices, names and availability now, from the catalogue; nothing from the client.
  const pricing = await priceLines({ peers, requestId: call.requestId }, lines, lineField);
  if (!pricing.ok) return refuse(...pricing.errors);
  const { lines: priced, subtotal } = pricing;

  // Promotion: checked here for a clear answer, and again under a row lock when the order is written.
  let discount = 0;
  if (request.promotionCode) {
    const checked = await checkPromotion(db, request.promotionCode, { subtotal, now, customerId });
    if (!checked.ok) return refuse(checked.error);
    discount = checked.discount;
  }

  const quoted = deliveryQuote({
    commune: request.address?.commune ?? null,
    method: request.delivery.method,
    date: request.delivery.date,
    slot: request.delivery.slot ?? null,
    subtotal,
    now,
  });
  if (!quoted.ok) {
    const { field, code, message } = quoted.reason;
    const path = field === "commune" ? ["input", "address", "commune"] : ["input", "delivery", field];
    return refuse(userError(path, code, message));
  }
  const quote = quoted.quote;
  const total = subtotal - discount + quote.fee;

  // Stock, all or nothing. From here on, any failure releases the reservation.
  let reservation;
  try {
    reservation = await reserveStock(
      peers,
      idem.orderRef,
      priced.map((line) => ({ productId: line.productId, quantity: line.quantity })),
      call.requestId,
    );
  } catch (error) {
    if (!(error instanceof PeerError)) throw error;
    // It may have been made there even though no answer came back (a slow products): undo it.
    await releaseLater(deps, idem.orderRef);
    return refuse(catalogueUnavailable());
  }
  if (!reservation.reservation) {
    return refuse(
      ...reservation.errors.map((error) => {
        const index = Number(error.field?.[1] ?? NaN);
        const line = priced[index];
        return error.code === "INSUFFICIENT_STOCK" && line
          ? userError(
              lineField(
                lines.findIndex((l) => l.productId.toLowerCase() === line.productId),
                "quantity",
              ),
              "OUT_OF_STOCK",
              `${line.name} sold out while you were checking out`,
            )
          : userError(["input"], error.code, error.message);
      }),
    );
  }
  if (reservation.reservation.status !== "ACTIVE") {
    return refuse(
      userError(
        ["input", "idempotencyKey"],
        "CHECKOUT_EXPIRED",
        "this checkout attempt has expired; start again with a new idempotencyKey",
      ),
    );
  }
  const paymentExpiresAt = new Date(
    Math.min(
      now.getTime() + deps.config.PAYMENT_WINDOW_SECONDS * 1000,
      Date.parse(reservation.reservation.expiresAt) - RESERVATION_MARGIN_MS,
    ),
  );

  let placed;
  try {
    placed = await db.transaction(async (tx) => {
      const inserted = await insertOrder(tx, {
        order: {
          customerId,
          buyerEmail: request.buyer.email,
          buyerName: request.buyer.name,
          buyerPhone: request.buyer.phone,
          idempotencyScope: idem.scope,
          idempotencyKey: idem.key,
          requestHash: idem.requestHash,
          reservationRef: idem.orderRef,
          cartId: request.cartId,
          deliveryMethod: quote.method,
          deliveryDate: quote.date,
          deliverySlot: quote.slot,
          deliverySurcharge: quote.surcharge,
          recipientName: request.recipient?.name ?? request.buyer.name,
          recipientPhone: request.recipient?.phone ?? request.buyer.phone,
          addressStreet: request.address?.street ?? null,
          addressCommune: quote.commune,
          addressNotes: request.address?.notes ?? null,
          giftMessage: request.giftMessage,
          promotionCode: request.promotionCode,
          paymentMethod: request.paymentMethod,
          paymentProvider: deps.payments.name,
          paymentExpiresAt,
          subtotal,
          discount,
          deliveryFee: quote.fee,
          total,
        },
        lines: priced,
        createdBy: customerId ?? "guest",
        ordersStream: deps.ordersStream,
      });
      if (!inserted) return null;
      if (request.promotionCode)
        await redeemPromotion(tx, request.promotionCode, inserted.order.id, { subtotal, now, customerId });
      return inserted.order;
    });
  } catch (error) {
    await releaseLater(deps, idem.orderRef);
    if (error instanceof Refused) return refuse(...error.errors);
    throw error;
  }
  // A concurrent retry of this very checkout wrote the order first: it shares this reservation.
  if (placed === null) {
    const twin = await findByIdempotency(deps, idem.scope, idem.key);
    if (!twin) throw new Error("an order holding this idempotency key vanished");
    return { order: twin, errors: [] };
  }

  deps.metrics.ordersPlaced.inc({ delivery_method: placed.deliveryMethod, payment_method: placed.paymentMethod });
  deps.metrics.ordersPlacedValue.inc({ delivery_method: placed.deliveryMethod }, placed.total);
  return { order: await startPayment(deps, placed), errors: [] };
}

async function findByIdempotency(deps: OrdersDeps, scope: string, key: string) {
  const [row] = await deps.db
    .select()
    .from(orders)
    .where(and(eq(orders.idempotencyScope, scope), eq(orders.idempotencyKey, key)));
  return row ?? null;
}

/** A release products must get even if it is down now: recorded, then carried out with retries. */
async function releaseLater(deps: OrdersDeps, orderRef: string) {
  await enqueueReservationTask(deps.db, orderRef, "RELEASE");
  deps.kickReservationTasks();
}

async function startPayment(deps: OrdersDeps, order: OrderRow): Promise<OrderRow> {
  try {
    const started = await deps.payments.startPayment({
      orderId: order.id,
      number: order.number,
      amount: order.total,
      method: order.paymentMethod,
      expiresAt: order.paymentExpiresAt,
    });
    const [updated] = await deps.db
      .update(orders)
      .set({ paymentId: started.paymentId, paymentRedirectUrl: started.redirectUrl })
      .where(eq(orders.id, order.id))
      .returning();
    return updated!;
  } catch (error) {
    // No payment can be made: the order is cancelled at once and the stock returns.
    const cancelled = await deps.db.transaction(async (tx) => {
      const [current] = await tx.select().from(orders).where(eq(orders.id, order.id)).for("update");
      if (current!.status !== "PENDING_PAYMENT") return current!;
      return applyStatusChange(tx, current!, {
        orderId: order.id,
        to: "CANCELLED",
        note: "the payment could not be started",
        changedBy: `payment:${deps.payments.name}`,
        ordersStream: deps.ordersStream,
      });
    });
    deps.kickReservationTasks();
    throw Object.assign(error as Error, { cancelledOrder: cancelled.number });
  }
}

type PromotionCheck = { ok: true; discount: number; promotionId: string } | { ok: false; error: UserError };
type PromotionContext = { subtotal: number; now: Date; customerId: string | null };

/** Whether the code applies to this checkout, and its discount; `lock` holds the promotion's row (in a transaction). */
async function checkPromotion(
  db: OrdersDb | OrdersTx,
  code: string,
  ctx: PromotionContext,
  lock = false,
): Promise<PromotionCheck> {
  const query = db.select().from(promotions).where(eq(promotions.code, code));
  const [promotion] = lock ? await query.for("update") : await query;
  const field = ["input", "promotionCode"];
  if (!promotion) return { ok: false, error: userError(field, "PROMOTION_NOT_FOUND", `no promotion code "${code}"`) };
  const used =
    promotion.onePerCustomer && ctx.customerId
      ? (
          await db
            .select({ orderId: promotionRedemptions.orderId })
            .from(promotionRedemptions)
            .where(
              and(
                eq(promotionRedemptions.promotionId, promotion.id),
                eq(promotionRedemptions.customerId, ctx.customerId),
              ),
            )
            .limit(1)
        ).length > 0
      : false;
  const applied = promotionDiscount(promotion, {
    subtotal: ctx.subtotal,
    now: ctx.now,
    customerHasUsed: used,
    isGuest: ctx.customerId === null,
  });
  if (!applied.ok) return { ok: false, error: userError(field, applied.code, applied.message) };
  return { ok: true, discount: applied.discount, promotionId: promotion.id };
}

/**
 * Counts one use, checked again under the promotion's row lock: two checkouts racing for the last use
 * of a code are decided one after the other, and the second is refused (its transaction rolls back).
 */
async function redeemPromotion(tx: OrdersTx, code: string, orderId: string, ctx: PromotionContext) {
  const check = await checkPromotion(tx, code, ctx, true);
  if (!check.ok) throw new Refused([check.error]);
  await tx.insert(promotionRedemptions).values({ promotionId: check.promotionId, orderId, customerId: ctx.customerId });
  await tx
    .update(promotions)
    .set({ timesUsed: sql`${promotions.timesUsed} + 1` })
    .where(eq(promotions.id, check.promotionId));
}
