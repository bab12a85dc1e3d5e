/** Roles, lowest to highest (DOMAIN.md, "People and roles"). */
export const ROLES = ["customer", "delivery", "florist", "support", "manager", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === "string" && (ROLES as readonly string[]).includes(value);

/**
 * What each role may do beyond its own data, as `resource:action`. A customer has no permission
 * here: what customers reach is decided by ownership (their own profile, orders, cart…), checked
 * where the data lives.
 */
// Each staff role holds what the role below it in the shop's work holds, and more.
const support = [
  "orders:view_all",
  "orders:update_status",
  "orders:cancel",
  "orders:assign_driver",
  "products:view_inactive",
  "reviews:moderate",
  "contact:view_all",
  "contact:respond",
  "users:view_all",
] as const;
const manager = [
  ...support,
  "products:create",
  "products:update",
  "categories:manage",
  "stock:adjust",
  "promotions:manage",
] as const;

const granted = {
  customer: [],
  delivery: ["orders:view_assigned", "orders:update_status_assigned"],
  florist: ["orders:view_all", "orders:update_status", "products:view_inactive"],
  support,
  manager,
  admin: [...manager, "users:manage_roles"],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof granted)[Role][number];

export const permissionsOf = (role: Role): readonly Permission[] => granted[role];

export const isStaff = (role: Role) => role !== "customer";
