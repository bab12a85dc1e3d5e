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
const granted = {
  customer: [],
  delivery: ["orders:view_assigned", "orders:update_status_assigned"],
  florist: ["orders:view_all", "orders:update_status", "products:view_inactive"],
  support: [
    "orders:view_all",
    "orders:update_status",
    "orders:cancel",
    "products:view_inactive",
    "reviews:moderate",
    "contact:view_all",
    "contact:respond",
    "users:view_all",
  ],
  manager: [
    "orders:view_all",
    "orders:update_status",
    "orders:cancel",
    "products:view_inactive",
    "products:create",
    "products:update",
    "categories:manage",
    "stock:adjust",
    "promotions:manage",
    "reviews:moderate",
    "contact:view_all",
    "contact:respond",
    "users:view_all",
  ],
  admin: [
    "orders:view_all",
    "orders:update_status",
    "orders:cancel",
    "products:view_inactive",
    "products:create",
    "products:update",
    "categories:manage",
    "stock:adjust",
    "promotions:manage",
    "reviews:moderate",
    "contact:view_all",
    "contact:respond",
    "users:view_all",
    "users:manage_roles",
  ],
} as const satisfies Record<Role, readonly string[]>;

export type Permission = (typeof granted)[Role][number];

export const permissionsOf = (role: Role): readonly Permission[] => granted[role];

export const isStaff = (role: Role) => role !== "customer";
