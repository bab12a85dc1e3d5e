import { userError } from "@fv/platform";
import type { Problem } from "../problem.js";

export const inputErrors = (problems: Problem[]) =>
  problems.map((p) => userError(["input", p.field], p.code, p.message));

/** The caller is signed in but their registration has not reached this service yet. */
export const profileNotReady = () =>
  userError(null, "PROFILE_NOT_FOUND", "your profile is not ready yet: try again in a moment");

/** Unknown, malformed and someone else's ids all get this, so ids of others cannot be probed. */
export const addressNotFound = () => userError(["id"], "ADDRESS_NOT_FOUND", "you have no address with this id");
