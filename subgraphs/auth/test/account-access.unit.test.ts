import { describe, expect, it } from "vitest";
import { anonymous, permissionsOf, type Role, type UserCaller } from "@fv/platform";
import { canReadAccount } from "../src/account-access.js";

const user = (userId: string, role: Role): UserCaller => ({
  kind: "user",
  userId,
  role,
  sessionId: "s",
  permissions: new Set(permissionsOf(role)),
});

describe("canReadAccount", () => {
  it("lets a person read their own account only", () => {
    expect(canReadAccount(user("a", "customer"), "a")).toBe(true);
    expect(canReadAccount(user("a", "customer"), "b")).toBe(false);
    expect(canReadAccount(user("a", "florist"), "b")).toBe(false);
  });

  it("lets staff with users:view_all, and other services, read any account", () => {
    expect(canReadAccount(user("a", "support"), "b")).toBe(true);
    expect(canReadAccount(user("a", "admin"), "b")).toBe(true);
    expect(canReadAccount({ kind: "service", name: "contact" }, "b")).toBe(true);
  });

  it("lets anonymous callers read none", () => {
    expect(canReadAccount(anonymous, "a")).toBe(false);
  });
});
