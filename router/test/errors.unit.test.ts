import { describe, expect, it } from "vitest";
import { maskError } from "../src/errors.js";

describe("maskError", () => {
  it("hides the message and internals of unexpected errors", () => {
    const masked = maskError({
      message: 'relation "orders" does not exist',
      path: ["order"],
      extensions: { code: "INTERNAL_SERVER_ERROR", serviceName: "orders", stacktrace: ["at …"] },
    });
    expect(masked).toEqual({
      message: "Internal server error",
      path: ["order"],
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });

  it("treats an error without a code as unexpected", () => {
    expect(maskError({ message: "boom" }).message).toBe("Internal server error");
  });

  it("keeps the message of client errors but drops the subgraph's name", () => {
    const masked = maskError({
      message: 'Argument "first" must be between 1 and 100, got 500',
      extensions: { code: "BAD_USER_INPUT", argumentName: "first", serviceName: "products" },
    });
    expect(masked.message).toContain('"first"');
    expect(masked.extensions).toEqual({ code: "BAD_USER_INPUT", argumentName: "first" });
  });
});
