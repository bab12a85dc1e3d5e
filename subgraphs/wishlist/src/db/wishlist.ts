import { Schema, type MongoConnection, type Types } from "@fv/platform";
import { MAX_WISHLIST_ITEMS } from "../wishlist-rules.js";

/**
 * FerretDB (v1) applies an update by reading the document and writing it back without a lock,
 * so two concurrent updates of one document can lose one of them, whatever their filter says.
 * Inserts and deletes are atomic, and unique indexes hold. So each saved product is a document
 * of its own: unique (wishlistId, productId) keeps a product at most once, unique
 * (wishlistId, slot) with MAX_WISHLIST_ITEMS slots keeps the limit, and nothing is ever updated.
 */
export interface StoredWishlist {
  _id: Types.ObjectId;
  ownerId: string;
  createdAt: Date;
}

export interface StoredWishlistItem {
  _id: Types.ObjectId;
  wishlistId: Types.ObjectId;
  /** Repeated from the wishlist so a wishlist and its items load in parallel by owner. */
  ownerId: string;
  productId: string;
  slot: number;
  addedAt: Date;
}

const wishlistSchema = new Schema<StoredWishlist>(
  { ownerId: { type: String, required: true } },
  { collection: "wishlists", timestamps: { createdAt: true, updatedAt: false }, versionKey: false, autoIndex: false },
);
wishlistSchema.index({ ownerId: 1 }, { unique: true });

const itemSchema = new Schema<StoredWishlistItem>(
  {
    wishlistId: { type: Schema.Types.ObjectId, required: true },
    ownerId: { type: String, required: true },
    productId: { type: String, required: true },
    slot: { type: Number, required: true, min: 0, max: MAX_WISHLIST_ITEMS - 1 },
    addedAt: { type: Date, required: true, default: () => new Date() },
  },
  { collection: "wishlist_items", versionKey: false, autoIndex: false },
);
itemSchema.index({ wishlistId: 1, productId: 1 }, { unique: true });
itemSchema.index({ wishlistId: 1, slot: 1 }, { unique: true });
itemSchema.index({ ownerId: 1 });

export function createModels(connection: MongoConnection) {
  return {
    Wishlist: connection.model<StoredWishlist>("Wishlist", wishlistSchema),
    WishlistItem: connection.model<StoredWishlistItem>("WishlistItem", itemSchema),
  };
}

export type Models = ReturnType<typeof createModels>;

/** GraphQL mapper types: plain objects, not mongoose documents. */
export interface WishlistItemDocument {
  productId: string;
  addedAt: Date;
}

export interface WishlistDocument {
  id: string;
  ownerId: string;
  /** Newest first. */
  items: WishlistItemDocument[];
  createdAt: Date;
}

export interface ProductReference {
  id: string;
}

export function toWishlistDocument(wishlist: StoredWishlist, items: readonly StoredWishlistItem[]): WishlistDocument {
  return {
    id: wishlist._id.toHexString(),
    ownerId: wishlist.ownerId,
    items: [...items]
      .sort(
        (a, b) => b.addedAt.getTime() - a.addedAt.getTime() || b._id.toHexString().localeCompare(a._id.toHexString()),
      )
      .map(({ productId, addedAt }) => ({ productId, addedAt })),
    createdAt: wishlist.createdAt,
  };
}
