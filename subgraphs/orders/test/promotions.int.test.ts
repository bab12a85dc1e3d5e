import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { count, eq } from "drizzle-orm";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import type { Role } from "@fv/platform";
import { promotions } from "../src/db/schema.js";
import { startOrders, type Headers } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startOrders>>;
const MANAGER_ID = randomUUID();
/** Managers hold promotions:manage. */
let manager: Headers;
beforeAll(async () => {
  ctx = await startOrders();
  manager = await ctx.signIn(MANAGER_ID, "manager");
});
afterAll(() => ctx?.stop());

const PROMOTION_FIELDS = /* GraphQL */ `
  code
  kind
  value
  minSubtotal
  startsAt
  endsAt
  usageLimit
  timesUsed
  onePerCustomer
  active
  createdAt
`;
const CREATE = /* GraphQL */ `
  mutation ($input: CreatePromotionInput!) {
    createPromotion(input: $input) {
      promotion { ${PROMOTION_FIELDS} }
      errors { field code message }
    }
  }
`;
const SET_ACTIVE = /* GraphQL */ `
  mutation ($code: String!, $active: Boolean!) {
    setPromotionActive(code: $code, active: $active) {
      promotion {
        code
        active
      }
      errors {
        field
        code
        message
      }
    }
  }
`;
const LIST = /* GraphQL */ `
  query ($first: Int, $after: String) {
    promotions(first: $first, after: $after) {
      totalCount
      edges {
        cursor
        node {
          code
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
    }
  }
`;

/** A page of the promotions list, as LIST selects it. */
interface Page {
  totalCount: number;
  edges: { cursor: string; node: { code: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null };
}

/** A code no other test uses: 3 to 32 of A-Z, 0-9, '-' and '_'. */
const uniqueCode = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`.toUpperCase();

const storedCount = async () => (await ctx.store.db.select({ n: count() }).from(promotions))[0]!.n;

const stored = (code: string) => ctx.store.db.select().from(promotions).where(eq(promotions.code, code));

async function create(input: Record<string, unknown>, as: Headers = manager) {
  const res = await graphql(ctx.url, CREATE, { input }, as);
  expect(res.errors).toBeUndefined();
  return res.data!.createPromotion as {
    promotion: Record<string, unknown> | null;
    errors: { field: string[]; code: string; message: string }[];
  };
}

describe("createPromotion", () => {
  it("stores a code in upper case, with its rules, active and unused, recording who made it", async () => {
    const code = uniqueCode("verano");
    const input = {
      code: `  ${code.toLowerCase()} `,
      kind: "PERCENTAGE",
      value: 15,
      minSubtotal: 30_000,
      startsAt: "2026-12-01T03:00:00.000Z",
      endsAt: "2027-01-01T03:00:00.000Z",
      usageLimit: 100,
      onePerCustomer: true,
    };
    const { promotion, errors } = await create(input);
    expect(errors).toEqual([]);
    expect(promotion).toEqual({
      code,
      kind: "PERCENTAGE",
      value: 15,
      minSubtotal: 30_000,
      startsAt: "2026-12-01T03:00:00.000Z",
      endsAt: "2027-01-01T03:00:00.000Z",
      usageLimit: 100,
      timesUsed: 0,
      onePerCustomer: true,
      active: true,
      createdAt: expect.any(String),
    });
    expect(await stored(code)).toMatchObject([
      {
        code,
        kind: "PERCENTAGE",
        value: 15,
        minSubtotal: 30_000,
        usageLimit: 100,
        onePerCustomer: true,
        active: true,
        createdBy: MANAGER_ID,
      },
    ]);
  });

  it("leaves the optional rules open, and once-per-customer off, when not given", async () => {
    const code = uniqueCode("fijo");
    const { promotion, errors } = await create({ code, kind: "FIXED", value: 5_000 });
    expect(errors).toEqual([]);
    // A fixed amount is pesos: above 100 is fine.
    expect(promotion).toMatchObject({
      code,
      kind: "FIXED",
      value: 5_000,
      minSubtotal: null,
      startsAt: null,
      endsAt: null,
      usageLimit: null,
      onePerCustomer: false,
      active: true,
    });
  });

  it.each<Role>(["manager", "admin"])("lets %s staff create one", async (role) => {
    const code = uniqueCode(role);
    const { errors } = await create({ code, kind: "FIXED", value: 1_000 }, await ctx.signIn(undefined, role));
    expect(errors).toEqual([]);
    expect(await stored(code)).toHaveLength(1);
  });

  it("forbids support staff, drivers and customers, asks anonymous callers to sign in, and stores nothing", async () => {
    const before = await storedCount();
    const callers: [Headers, string][] = [
      [await ctx.signIn(undefined, "support"), "FORBIDDEN"],
      [await ctx.signIn(undefined, "florist"), "FORBIDDEN"],
      [await ctx.signIn(undefined, "delivery"), "FORBIDDEN"],
      [await ctx.signIn(), "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ];
    for (const [as, code] of callers) {
      const res = await graphql(ctx.url, CREATE, { input: { code: uniqueCode("nope"), kind: "FIXED", value: 1 } }, as);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data?.createPromotion ?? null).toBeNull();
    }
    expect(await storedCount()).toBe(before);
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["a code with a space", { code: "VERANO 10" }, "code", "INVALID_CODE"],
    ["a code with an accent", { code: "NIÑO10" }, "code", "INVALID_CODE"],
    ["a code too short", { code: "AB" }, "code", "INVALID_CODE"],
    ["a code too long", { code: "A".repeat(33) }, "code", "INVALID_CODE"],
    ["a value of zero", { value: 0 }, "value", "NOT_POSITIVE"],
    ["a negative value", { kind: "FIXED", value: -500 }, "value", "NOT_POSITIVE"],
    ["a percentage above 100", { kind: "PERCENTAGE", value: 101 }, "value", "PERCENTAGE_ABOVE_100"],
    ["a negative minimum", { minSubtotal: -1 }, "minSubtotal", "NEGATIVE"],
    [
      "an end before the start",
      { startsAt: "2026-12-02T00:00:00.000Z", endsAt: "2026-12-01T00:00:00.000Z" },
      "endsAt",
      "ENDS_BEFORE_START",
    ],
    [
      "an end at the start",
      { startsAt: "2026-12-01T00:00:00.000Z", endsAt: "2026-12-01T00:00:00.000Z" },
      "endsAt",
      "ENDS_BEFORE_START",
    ],
    ["a usage limit of zero", { usageLimit: 0 }, "usageLimit", "USAGE_LIMIT_BELOW_1"],
  ])("refuses %s, naming the field, and stores nothing", async (_name, override, field, code) => {
    const before = await storedCount();
    const { promotion, errors } = await create({ code: uniqueCode("ok"), kind: "PERCENTAGE", value: 10, ...override });
    expect(promotion).toBeNull();
    expect(errors).toEqual([{ field: ["input", field], code, message: expect.any(String) }]);
    expect(await storedCount()).toBe(before);
  });

  it("names every invalid field at once", async () => {
    const { promotion, errors } = await create({
      code: "no válido",
      kind: "PERCENTAGE",
      value: 150,
      minSubtotal: -10,
      usageLimit: 0,
    });
    expect(promotion).toBeNull();
    expect(errors.map((e) => `${e.field.join(".")}:${e.code}`).sort()).toEqual([
      "input.code:INVALID_CODE",
      "input.minSubtotal:NEGATIVE",
      "input.usageLimit:USAGE_LIMIT_BELOW_1",
      "input.value:PERCENTAGE_ABOVE_100",
    ]);
  });

  it("rejects a kind or a date the schema does not know as BAD_USER_INPUT", async () => {
    const before = await storedCount();
    for (const input of [
      { code: uniqueCode("kind"), kind: "BOGO", value: 10 },
      { code: uniqueCode("date"), kind: "FIXED", value: 10, startsAt: "mañana" },
    ]) {
      const res = await graphql(ctx.url, CREATE, { input }, manager);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    expect(await storedCount()).toBe(before);
  });

  it("refuses a code that exists, whatever its case, as DUPLICATE_CODE, keeping the first", async () => {
    const code = uniqueCode("dup");
    expect((await create({ code, kind: "FIXED", value: 2_000 })).errors).toEqual([]);
    const again = await create({ code: code.toLowerCase(), kind: "PERCENTAGE", value: 50 });
    expect(again.promotion).toBeNull();
    expect(again.errors).toMatchObject([{ field: ["input", "code"], code: "DUPLICATE_CODE" }]);
    expect(again.errors[0]!.message).toContain(code);
    expect(await stored(code)).toMatchObject([{ kind: "FIXED", value: 2_000 }]);
  });

  it("creates a code once when two managers create it at the same moment", async () => {
    const code = uniqueCode("race");
    const results = await Promise.all([1, 2].map((value) => create({ code, kind: "FIXED", value })));
    expect(results.map((r) => r.errors[0]?.code ?? "OK").sort()).toEqual(["DUPLICATE_CODE", "OK"]);
    const winner = results.find((r) => r.errors.length === 0)!.promotion!;
    expect(await stored(code)).toMatchObject([{ value: winner.value }]);
  });
});

describe("setPromotionActive", () => {
  it("turns a code off and on again, found whatever the case it is written in", async () => {
    const code = uniqueCode("toggle");
    await create({ code, kind: "FIXED", value: 1_000 });
    const off = await graphql(ctx.url, SET_ACTIVE, { code: ` ${code.toLowerCase()} `, active: false }, manager);
    expect(off.data!.setPromotionActive).toEqual({ promotion: { code, active: false }, errors: [] });
    expect((await stored(code))[0]!.active).toBe(false);
    const on = await graphql(ctx.url, SET_ACTIVE, { code, active: true }, await ctx.signIn(undefined, "admin"));
    expect(on.data!.setPromotionActive).toEqual({ promotion: { code, active: true }, errors: [] });
    expect((await stored(code))[0]!.active).toBe(true);
  });

  it("says PROMOTION_NOT_FOUND, naming the code, for a code that does not exist or cannot be one", async () => {
    for (const code of [uniqueCode("ghost"), "no válido"]) {
      const res = await graphql(ctx.url, SET_ACTIVE, { code, active: false }, manager);
      expect(res.data!.setPromotionActive).toMatchObject({
        promotion: null,
        errors: [{ field: ["code"], code: "PROMOTION_NOT_FOUND" }],
      });
    }
  });

  it("forbids support staff and customers, changing nothing", async () => {
    const code = uniqueCode("keep");
    await create({ code, kind: "FIXED", value: 1_000 });
    for (const as of [await ctx.signIn(undefined, "support"), await ctx.signIn()]) {
      const res = await graphql(ctx.url, SET_ACTIVE, { code, active: false }, as);
      expect(res.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    }
    const anonymous = await graphql(ctx.url, SET_ACTIVE, { code, active: false });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await stored(code))[0]!.active).toBe(true);
  });
});

describe("promotions", () => {
  it("pages every code newest first, without duplicates or gaps, with the total", async () => {
    // Some codes of this test's own, two of them made in the same millisecond: the id orders those.
    const codes = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const code = uniqueCode(`page${i}`);
        await create({ code, kind: "FIXED", value: 1_000 + i });
        return code;
      }),
    );
    const same = new Date("2026-06-01T12:00:00.000Z");
    for (const code of codes.slice(0, 2))
      await ctx.store.db.update(promotions).set({ createdAt: same }).where(eq(promotions.code, code));
    const expected = (await ctx.store.db.select().from(promotions))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map((p) => p.code);
    expect(expected.length).toBeGreaterThanOrEqual(4);

    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: GraphQLResponse<{ promotions: Page }> = await graphql(ctx.url, LIST, { first: 3, after }, manager);
      expect(res.errors).toBeUndefined();
      const page = res.data!.promotions;
      expect(page.totalCount).toBe(expected.length);
      expect(page.pageInfo.hasPreviousPage).toBe(pages > 0);
      seen.push(...page.edges.map((e) => e.node.code));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after && pages < 100);
    expect(seen).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 3));
  });

  it("is for staff with promotions:manage only", async () => {
    for (const [as, code] of [
      [await ctx.signIn(undefined, "support"), "FORBIDDEN"],
      [await ctx.signIn(), "FORBIDDEN"],
      [{}, "UNAUTHENTICATED"],
    ] as const) {
      const res = await graphql(ctx.url, LIST, {}, as);
      expect(res.errors?.[0]?.extensions?.code).toBe(code);
      expect(res.data?.promotions ?? null).toBeNull();
    }
    const admin = await graphql(ctx.url, LIST, { first: 1 }, await ctx.signIn(undefined, "admin"));
    expect(admin.errors).toBeUndefined();
    expect(admin.data!.promotions.totalCount).toBe(await storedCount());
  });

  it("rejects a forged cursor and a page size outside 1–100 as BAD_USER_INPUT", async () => {
    for (const vars of [{ after: "bm9wZQ" }, { first: 101 }, { first: 0 }]) {
      const res = await graphql(ctx.url, LIST, vars, manager);
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
  });
});
