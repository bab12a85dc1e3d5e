import { hasPermission, type Caller } from "@fv/platform";
import { canTransition, nextStates, type OrderStatus } from "./order-status.js";

/*
 * Who may see and move an order. Customers reach their own orders only (DOMAIN.md, "People and
 * roles"); staff reach every order through their permissions; other services (payments…) act for
 * the shop itself. Delivery drivers (`orders:view_assigned`) see and move only the orders assigned
 * to them, and only along the road: out for delivery, delivered.
 */

export interface OrderAccessFacts {
  customerId: string | null;
  status: OrderStatus;
  driverId?: string | null;
}

/** The moves a driver makes on an order assigned to them. */
export const DRIVER_STATUSES: readonly OrderStatus[] = ["OUT_FOR_DELIVERY", "DELIVERED"];

/** Statuses a customer may still cancel from: once the florist starts, the flowers are spent. */
export const CUSTOMER_CANCELLABLE: readonly OrderStatus[] = ["PENDING_PAYMENT", "PAID"];

/** User ids are uuids; PostgreSQL prints them in lower case, a token or a reference may not. */
export const isSelf = (caller: Caller, userId: string | null) =>
  caller.kind === "user" && userId !== null && caller.userId.toLowerCase() === userId.toLowerCase();

export const canViewAllOrders = (caller: Caller) =>
  caller.kind === "service" || hasPermission(caller, "orders:view_all");

export const isAssignedDriver = (caller: Caller, order: OrderAccessFacts) =>
  hasPermission(caller, "orders:view_assigned") && isSelf(caller, order.driverId ?? null);

export const canViewOrder = (caller: Caller, order: OrderAccessFacts) =>
  canViewAllOrders(caller) || isSelf(caller, order.customerId) || isAssignedDriver(caller, order);

/** Cancelling is a permission of its own: florists move orders forward but do not cancel them. */
const staffMay = (caller: Caller, to: OrderStatus) =>
  caller.kind === "service" || hasPermission(caller, to === "CANCELLED" ? "orders:cancel" : "orders:update_status");

/** The statuses this caller may move the order to now: the status table, narrowed to their rights. */
export function allowedNextStatuses(caller: Caller, order: OrderAccessFacts): OrderStatus[] {
  if (!canViewOrder(caller, order)) return [];
  return nextStates[order.status].filter(
    (to) =>
      staffMay(caller, to) ||
      (DRIVER_STATUSES.includes(to) &&
        isAssignedDriver(caller, order) &&
        hasPermission(caller, "orders:update_status_assigned")) ||
      (to === "CANCELLED" && isSelf(caller, order.customerId) && CUSTOMER_CANCELLABLE.includes(order.status)),
  );
}

export type StatusChangeDecision = "OK" | "ORDER_NOT_FOUND" | "INVALID_TRANSITION" | "NOT_CANCELLABLE" | "FORBIDDEN";

/**
 * Whether this caller may move the order to `to`. An order the caller may not see is "not found",
 * as if it did not exist. A move the table forbids is refused for everyone alike; a customer
 * cancelling too late is told so (a business rule); anything else is beyond the caller's rights.
 */
export function decideStatusChange(caller: Caller, order: OrderAccessFacts, to: OrderStatus): StatusChangeDecision {
  if (!canViewOrder(caller, order)) return "ORDER_NOT_FOUND";
  if (allowedNextStatuses(caller, order).includes(to)) return "OK";
  if (!canTransition(order.status, to)) return "INVALID_TRANSITION";
  if (to === "CANCELLED" && isSelf(caller, order.customerId)) return "NOT_CANCELLABLE";
  return "FORBIDDEN";
}
