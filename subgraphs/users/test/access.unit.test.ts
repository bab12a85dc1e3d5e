import { describe, expect, it } from "vitest";
import { permissionsOf, type Role, type UserCaller } from "@fv/platform";
import { maySeeUser } from "../src/access.js";
import { roleChangeRefusal } from "../src/roles.js";

const A = "00000000-0000-4000-8000-00000000000a";
const B = "00000000-0000-4000-8000-00000000000b";
const signedIn = (userId: string, role: Role): UserCaller => ({
  kind: "user",
  userId,
  role,
  sessionId: "s",
  permissions: new Set(permissionsOf(role)),
});

describe("maySeeUser", () => {
  it("lets a person see their own profile and nobody else's", () => {
    expect(maySeeUser(signedIn(A, "customer"), A)).toBe(true);
    expect(maySeeUser(signedIn(A, "customer"), B)).toBe(false);
  });

  it("lets staff with users:view_all see every profile, and no other staff", () => {
    expect(maySeeUser(signedIn(A, "support"), B)).toBe(true);
    expect(maySeeUser(signedIn(A, "manager"), B)).toBe(true);
    expect(maySeeUser(signedIn(A, "admin"), B)).toBe(true);
    expect(maySeeUser(signedIn(A, "florist"), B)).toBe(false);
    expect(maySeeUser(signedIn(A, "delivery"), B)).toBe(false);
  });

  it("lets services see profiles, and the anonymous none", () => {
    expect(maySeeUser({ kind: "service", name: "orders" }, B)).toBe(true);
    expect(maySeeUser({ kind: "anonymous" }, B)).toBe(false);
  });
});

describe("roleChangeRefusal", () => {
  it("lets an admin change someone else's role", () => {
    expect(roleChangeRefusal(signedIn(A, "admin"), B)).toBeNull();
  });

  it("refuses an admin their own role", () => {
    expect(roleChangeRefusal(signedIn(A, "admin"), A)).toMatch(/own role/);
  });

  it("refuses everyone but admins, on themselves as on others", () => {
    for (const role of ["customer", "delivery", "florist", "support", "manager"] as const) {
      expect(roleChangeRefusal(signedIn(A, role), B), role).toMatch(/users:manage_roles/);
      expect(roleChangeRefusal(signedIn(A, role), A), role).not.toBeNull();
    }
  });
});
