import { newEvent } from "@fv/platform";

/** Events on STREAMS.auth; their `data` shapes are the contract with users and contact. */
export const AUTH_EVENT = {
  userRegistered: "auth.user_registered",
  passwordResetRequested: "auth.password_reset_requested",
  emailVerificationRequested: "auth.email_verification_requested",
  emailVerified: "auth.email_verified",
} as const;

/** The web app's page for a token: `<PUBLIC_APP_URL>/<page>?token=…`, keeping any base path. */
export function appLink(publicAppUrl: string, page: string, token: string): string {
  const base = publicAppUrl.endsWith("/") ? publicAppUrl : `${publicAppUrl}/`;
  const url = new URL(page, base);
  url.searchParams.set("token", token);
  return url.toString();
}

export const userRegistered = (data: { userId: string; email: string; name: string; phone: string | null }) =>
  newEvent(AUTH_EVENT.userRegistered, data);

interface TokenMail {
  userId: string;
  email: string;
  token: string;
  expiresAt: Date;
}

/** The raw token travels to the mailer (contact), which puts `url` in the email. */
export const passwordResetRequested = ({ expiresAt, ...mail }: TokenMail, publicAppUrl: string) =>
  newEvent(AUTH_EVENT.passwordResetRequested, {
    ...mail,
    expiresAt: expiresAt.toISOString(),
    url: appLink(publicAppUrl, "reset-password", mail.token),
  });

export const emailVerificationRequested = ({ expiresAt, ...mail }: TokenMail, publicAppUrl: string) =>
  newEvent(AUTH_EVENT.emailVerificationRequested, {
    ...mail,
    expiresAt: expiresAt.toISOString(),
    url: appLink(publicAppUrl, "verify-email", mail.token),
  });

export const emailVerified = (data: { userId: string; email: string }) => newEvent(AUTH_EVENT.emailVerified, data);
