import { describe, expect, it } from "vitest";
import { appLink, emailVerificationRequested, passwordResetRequested } from "../src/auth-events.js";

describe("auth events", () => {
  it("link to the app's page with the token, keeping a base path and escaping nothing it need not", () => {
    expect(appLink("http://localhost:3000", "reset-password", "abc_-1")).toBe(
      "http://localhost:3000/reset-password?token=abc_-1",
    );
    expect(appLink("https://floresvictoria.cl/tienda/", "verify-email", "t")).toBe(
      "https://floresvictoria.cl/tienda/verify-email?token=t",
    );
  });

  it("carry the user, the email, the raw token, its expiry and the link", () => {
    const mail = { userId: "u1", email: "a@example.cl", token: "tok", expiresAt: new Date("2026-11-29T14:00:00.000Z") };
    const reset = passwordResetRequested(mail, "https://floresvictoria.cl");
    expect(reset.type).toBe("auth.password_reset_requested");
    expect(reset.data).toEqual({
      userId: "u1",
      email: "a@example.cl",
      token: "tok",
      expiresAt: "2026-11-29T14:00:00.000Z",
      url: "https://floresvictoria.cl/reset-password?token=tok",
    });
    const verify = emailVerificationRequested(mail, "https://floresvictoria.cl");
    expect(verify.type).toBe("auth.email_verification_requested");
    expect(verify.data.url).toBe("https://floresvictoria.cl/verify-email?token=tok");
    expect(verify.id).not.toBe(reset.id);
  });
});
