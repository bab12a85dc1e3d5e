/**
 * The order lifecycle as an explicit transition table (the way Vendure's OrderStateMachine keeps it):
 * what may follow each status is data, so the API can show the next steps and every change is
 * checked against the same table.
 */
export const ORDER_STATUSES = [
  "PENDING_PAYMENT",
  "PAID",
  "PREPARING",
  "OUT_FOR_DELIVERY",
  "DELIVERED",
  "CANCELLED",
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const nextStates: Record<OrderStatus, OrderStatus[]> = {
  PENDING_PAYMENT: ["PAID", "CANCELLED"],
  PAID: ["PREPARING", "CANCELLED"],
  PREPARING: ["OUT_FOR_DELIVERY", "CANCELLED"],
  // Once the flowers have left the shop the order can only be delivered.
  OUT_FOR_DELIVERY: ["DELIVERED"],
  DELIVERED: [],
  CANCELLED: [],
};

export const canTransition = (from: OrderStatus, to: OrderStatus): boolean => nextStates[from].includes(to);

export const isFinal = (status: OrderStatus): boolean => nextStates[status].length === 0;
