import { Schema, type MongoConnection } from "@fv/platform";

/**
 * A product delivered to a customer, as the orders subgraph's events tell: `_id` is
 * `<userId>:<productId>`, so a redelivered event or a second order adds nothing.
 */
export interface DeliveredPurchase {
  _id: string;
  userId: string;
  productId: string;
  orderId: string;
  deliveredAt: Date;
}

const purchaseSchema = new Schema<DeliveredPurchase>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    productId: { type: String, required: true },
    orderId: { type: String, required: true },
    deliveredAt: { type: Date, required: true },
  },
  { collection: "delivered_purchases", versionKey: false, autoIndex: false },
);

export const purchaseKey = (userId: string, productId: string) => `${userId}:${productId}`;

export const createPurchaseModels = (connection: MongoConnection) => ({
  DeliveredPurchase: connection.model<DeliveredPurchase>("DeliveredPurchase", purchaseSchema),
});
