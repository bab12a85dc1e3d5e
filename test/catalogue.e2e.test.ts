import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { SHOP_INBOX, startE2eStack, type E2eStack } from "./e2e-stack.js";

/**
 * The catalogue's "done when", through the router of a stack started as `pnpm start` starts it (on
 * stores of its own, the seeded catalogue): the storefront browses, filters, searches and pages;
 * staff made with the promote command edit; a review moves the product's rating and, once the
 * rating event is consumed, its place in `sort: RATING`; a contact message reaches both inboxes.
 */
const PORT_BASE = 15_000;
let e2e: E2eStack;
let runId: string;
let base: string;

beforeAll(async () => {
  e2e = await startE2eStack({ name: "e2e_cat", portBase: PORT_BASE, contactEnv: { MAIL_POLL_MS: "250" } });
  ({ runId, base } = e2e);
});
afterAll(() => e2e?.stop());

interface Result {
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** One operation through the router, optionally signed in; GraphQL errors are returned, not thrown. */
const gql = (query: string, variables?: Record<string, unknown>, token?: string): Promise<Result> =>
  graphql(base, query, variables, token ? { authorization: `Bearer ${token}` } : {});

/** The same, failing the test on any GraphQL error. */
async function data(query: string, variables?: Record<string, unknown>, token?: string) {
  const res = await gql(query, variables, token);
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data;
}

const PRODUCTS = /* GraphQL */ `
  query ($filter: ProductFilter, $sort: ProductSort, $first: Int, $after: String) {
    products(filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          description
          price
          category {
            slug
          }
          occasions {
            slug
          }
          rating {
            average
            count
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

interface Node {
  id: string;
  name: string;
  description: string;
  price: number;
  category: { slug: string };
  occasions: { slug: string }[];
  rating: { average: number | null; count: number };
}

const list = async (variables: Record<string, unknown>, token?: string) => {
  const { products } = await data(PRODUCTS, { first: 100, ...variables }, token);
  return { total: products.totalCount as number, nodes: products.edges.map((e: { node: Node }) => e.node) as Node[] };
};

const PASSWORD = "Ramo-de-rosas-2026";

async function signUp(name: string) {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}.${runId}@example.cl`;
  const res = await data(
    `mutation($input: RegisterInput!) { register(input: $input) { account { id } errors { code } } }`,
    { input: { email, password: PASSWORD, name } },
  );
  expect(res.register.errors).toEqual([]);
  return { id: res.register.account.id as string, email };
}

async function signIn(email: string) {
  const res = await data(`mutation($input: LoginInput!) { login(input: $input) { accessToken errors { code } } }`, {
    input: { email, password: PASSWORD },
  });
  expect(res.login.errors).toEqual([]);
  return res.login.accessToken as string;
}

const roleIn = (token: string) => JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).role;

/** Signs in until auth, having consumed users.role_changed, puts `role` in the token. */
async function signInAs(email: string, role: string) {
  let token = "";
  await expect.poll(async () => roleIn((token = await signIn(email))), { timeout: 20_000, interval: 250 }).toBe(role);
  return token;
}

/** The promote command as an operator runs it, against the stack's users database. */
function promote(email: string, role: string) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      ["--import", "tsx", "src/promote.ts", "--email", email, "--role", role],
      {
        cwd: fileURLToPath(new URL("../subgraphs/users", import.meta.url)),
        env: {
          PATH: process.env.PATH!,
          HOME: process.env.HOME!,
          DATABASE_URL: e2e.databases.get("users")!.url,
          EVENTS_PREFIX: `${runId}:`,
          LOG_LEVEL: "silent",
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? 1 : 0, stdout, stderr }),
    ),
  );
}

/** Strips accents, as a customer typing on a phone would. */
const fold = (text: string) => text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

describe("the catalogue through the router", () => {
  it("browses, filters, searches without accents and pages the seeded catalogue", async () => {
    const all = await list({});
    expect(all.total).toBeGreaterThanOrEqual(40);

    const ramos = await list({ filter: { categorySlug: "ramos" } });
    expect(ramos.total).toBeGreaterThan(0);
    expect(ramos.total).toBeLessThan(all.total);
    expect(ramos.nodes.every((n) => n.category.slug === "ramos")).toBe(true);

    const birthdays = await list({ filter: { occasionSlug: "cumpleanos", maxPrice: 30_000 }, sort: "PRICE_DESC" });
    expect(birthdays.total).toBeGreaterThan(0);
    for (const node of birthdays.nodes) {
      expect(node.price).toBeLessThanOrEqual(30_000);
      expect(node.occasions.map((o) => o.slug)).toContain("cumpleanos");
    }
    expect(birthdays.nodes.map((n) => n.price)).toEqual(birthdays.nodes.map((n) => n.price).sort((a, b) => b - a));

    // Typed without the ñ, found with it.
    const found = await list({ filter: { search: "cumpleanos" } });
    expect(found.total).toBeGreaterThan(0);
    expect(found.total).toBeLessThan(all.total);
    for (const node of found.nodes) expect(fold(`${node.name} ${node.description}`)).toMatch(/cumplean/);
    expect(found.nodes.some((n) => /cumpleaños/i.test(`${n.name} ${n.description}`))).toBe(true);

    // Page by page, cheapest first: every product once, in order.
    const seen: Node[] = [];
    let after: string | null = null;
    for (let page = 0; page < 20; page++) {
      const { products } = await data(PRODUCTS, { sort: "PRICE_ASC", first: 7, after });
      seen.push(...products.edges.map((e: { node: Node }) => e.node));
      if (!products.pageInfo.hasNextPage) break;
      after = products.pageInfo.endCursor;
    }
    expect(seen.map((n) => n.id).sort()).toEqual(all.nodes.map((n) => n.id).sort());
    expect(seen.map((n) => n.price)).toEqual(seen.map((n) => n.price).sort((a, b) => a - b));

    const tooMany = await gql(PRODUCTS, { first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("lets a manager, appointed by the first admin the promote command made, edit a product the storefront then shows", async () => {
    const founder = await signUp("Ada Fundadora");
    const customerToken = await signIn(founder.email);
    // The command needs the profile, which reaches users by event after registration.
    await expect
      .poll(async () => (await gql(`{ me { id } }`, {}, customerToken)).data?.me?.id, { timeout: 20_000 })
      .toBe(founder.id);

    const [target] = (await list({ sort: "PRICE_ASC", first: 1 })).nodes;
    const UPDATE = `mutation($id: ID!, $input: UpdateProductInput!) {
      updateProduct(id: $id, input: $input) { product { id name price } errors { field code } }
    }`;
    const edit = { id: target!.id, input: { name: "Ramo de cumpleaños editado", price: 31_990 } };
    expect((await gql(UPDATE, edit)).errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    expect((await gql(UPDATE, edit, customerToken)).errors?.[0]?.extensions?.code).toBe("FORBIDDEN");

    const promoted = await promote(founder.email, "admin");
    expect(promoted.stderr).toBe("");
    expect(promoted.code).toBe(0);
    const adminToken = await signInAs(founder.email, "admin");

    const manager = await signUp("Marta Gerente");
    await expect
      .poll(
        async () =>
          (
            await gql(
              `mutation($id: ID!) { changeUserRole(userId: $id, role: MANAGER) { user { role } errors { code } } }`,
              { id: manager.id },
              adminToken,
            )
          ).data?.changeUserRole?.user?.role,
        { timeout: 20_000, interval: 250 },
      )
      .toBe("MANAGER");
    const managerToken = await signInAs(manager.email, "manager");

    const updated = await data(UPDATE, edit, managerToken);
    expect(updated.updateProduct).toEqual({
      product: { id: target!.id, name: "Ramo de cumpleaños editado", price: 31_990 },
      errors: [],
    });
    const shown = await data(`query($id: ID!) { product(id: $id) { name price } }`, { id: target!.id });
    expect(shown.product).toEqual({ name: "Ramo de cumpleaños editado", price: 31_990 });
    const searched = await list({ filter: { search: "editado" } });
    expect(searched.nodes.map((n) => n.id)).toContain(target!.id);
  });

  it("moves a reviewed product's rating at once, and its place in sort by rating once the event is consumed", async () => {
    const before = await list({ sort: "RATING" });
    expect(before.nodes).toHaveLength(Math.min(before.total, 100));
    // The last by rating: no published review yet, so nothing but the review below can bring it first.
    const product = before.nodes.at(-1)!;
    expect(product.rating).toEqual({ average: null, count: 0 });
    expect(before.nodes[0]!.id).not.toBe(product.id);

    const customer = await signUp("Camila Reseña");
    const token = await signIn(customer.email);
    const created = await data(
      `mutation($input: CreateReviewInput!) { createReview(input: $input) { review { id status } errors { code } } }`,
      {
        input: { productId: product.id, authorName: "Camila R.", rating: 5, title: "Precioso", comment: "Muy fresco." },
      },
      token,
    );
    expect(created.createReview.errors).toEqual([]);
    expect(created.createReview.review.status).toBe("PUBLISHED");

    // Product.rating comes from reviews itself: right away.
    const rated = await data(`query($id: ID!) { product(id: $id) { rating { average count } } }`, { id: product.id });
    expect(rated.product.rating).toEqual({ average: 5, count: 1 });

    // The catalogue's copy follows reviews.rating_changed: poll until the consumer has applied it.
    await expect
      .poll(async () => (await list({ sort: "RATING", first: 1 })).nodes[0]?.id, { timeout: 20_000, interval: 250 })
      .toBe(product.id);
    const first = (await list({ sort: "RATING", first: 1 })).nodes[0]!;
    expect(first.rating).toEqual({ average: 5, count: 1 });
  });

  it("delivers a visitor's contact message to the shop inbox (reply-to the visitor) and an acknowledgement to the visitor", async () => {
    const visitor = `visitante.${runId}@example.cl`;
    const subject = `Consulta ${runId}`;
    const sent = await data(
      `mutation($input: SubmitContactMessageInput!) { submitContactMessage(input: $input) { message { id } errors { code } } }`,
      {
        input: {
          name: "Valentina Visitante",
          email: visitor,
          subject,
          message: "¿Hacen entregas en Ñuñoa el domingo?",
          consent: true,
        },
      },
    );
    expect(sent.submitContactMessage.errors).toEqual([]);

    await expect
      .poll(() => [e2e.mailsTo(SHOP_INBOX).length, e2e.mailsTo(visitor).length], {
        timeout: 30_000,
        interval: 250,
      })
      .toEqual([1, 1]);
    const inbox = e2e.mailsTo(SHOP_INBOX)[0]!;
    expect(inbox).toMatch(new RegExp(`^Reply-To: .*${visitor.replace(/[.+]/g, "\\$&")}`, "m"));
    expect(inbox).toContain(runId);
  });
});
