import { requirePermission, requireService } from "@fv/platform";
import { categories, occasions } from "../db/schema.js";
import { adjustStock, createProduct, saveTaxonomy, setProductActive, updateProduct } from "../staff.js";
import { confirmReservation, releaseReservation, reserveStock } from "../reservations.js";
import type { MutationResolvers } from "../__generated__/resolvers-types.js";

export const Mutation: MutationResolvers = {
  createProduct: (_parent, { input }, { db, caller }) => {
    requirePermission(caller, "products:create");
    return createProduct(db, input);
  },
  updateProduct: (_parent, { id, input }, { db, caller }) => {
    requirePermission(caller, "products:update");
    return updateProduct(db, id, input);
  },
  setProductActive: (_parent, { id, active }, { db, caller }) => {
    requirePermission(caller, "products:update");
    return setProductActive(db, id, active);
  },
  adjustStock: (_parent, { productId, delta, reason }, { db, caller }) => {
    const staff = requirePermission(caller, "stock:adjust");
    return adjustStock(db, productId, delta, reason, staff.userId);
  },
  createCategory: async (_parent, { input }, { db, caller }) => {
    requirePermission(caller, "categories:manage");
    const { row, errors } = await saveTaxonomy(db, categories, null, input);
    return { category: row, errors };
  },
  updateCategory: async (_parent, { id, input }, { db, caller }) => {
    requirePermission(caller, "categories:manage");
    const { row, errors } = await saveTaxonomy(db, categories, id, input);
    return { category: row, errors };
  },
  createOccasion: async (_parent, { input }, { db, caller }) => {
    requirePermission(caller, "categories:manage");
    const { row, errors } = await saveTaxonomy(db, occasions, null, input);
    return { occasion: row, errors };
  },
  updateOccasion: async (_parent, { id, input }, { db, caller }) => {
    requirePermission(caller, "categories:manage");
    const { row, errors } = await saveTaxonomy(db, occasions, id, input);
    return { occasion: row, errors };
  },
  reserveStock: async (_parent, { orderRef, lines }, { db, caller, reservationTtlMs, metrics }) => {
    requireService(caller);
    const result = await reserveStock(db, orderRef, lines, reservationTtlMs);
    if (result.errors.some((error) => error.code === "INSUFFICIENT_STOCK")) metrics.reservationConflicts.inc();
    return result;
  },
  confirmReservation: (_parent, { orderRef }, { db, caller }) => {
    requireService(caller);
    return confirmReservation(db, orderRef);
  },
  releaseReservation: (_parent, { orderRef }, { db, caller }) => {
    requireService(caller);
    return releaseReservation(db, orderRef);
  },
};
