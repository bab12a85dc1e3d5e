export * from "./permissions.js";
export * from "./caller.js";
export * from "./tokens.js";
export * from "./service-credential.js";
export * from "./revocation.js";
