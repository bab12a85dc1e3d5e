/** Roles, lowest to highest, as stored in the database. */
export const ROLES = ["customer", "delivery", "florist", "support", "manager", "admin"] as const;
export type RoleValue = (typeof ROLES)[number];
