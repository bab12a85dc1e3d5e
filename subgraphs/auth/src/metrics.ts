import { Counter, exportWithService } from "@fv/platform";

/**
 * Failed sign-ins by reason: the UserError code of the refusal in lower case (`invalid_credentials`,
 * `too_many_attempts`), a fixed set. Exported on auth's /metrics; read by the SignInFailureSpike alert
 * and the identity dashboard (k8s/monitoring).
 */
export const signInFailures = exportWithService(
  "auth",
  new Counter({
    name: "sign_in_failures_total",
    help: "Sign-in attempts refused, by reason (invalid_credentials, too_many_attempts)",
    labelNames: ["reason"] as const,
    registers: [],
  }),
);
