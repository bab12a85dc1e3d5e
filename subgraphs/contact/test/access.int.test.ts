import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import type { Role } from "@fv/platform";
import { startContact } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startContact>>;
beforeAll(async () => {
  ctx = await startContact();
});
afterAll(() => ctx?.stop());

const SUBMIT = `mutation ($input: SubmitContactMessageInput!) {
  submitContactMessage(input: $input) { message { id } errors { code } }
}`;
const READ = `query ($id: ID!) { contactMessage(id: $id) { id email message } }`;
const input = {
  name: "Josefa Muñoz",
  email: "josefa@example.cl",
  subject: "Pedido para el viernes",
  message: "Hola, ¿pueden entregar un ramo en Ñuñoa el viernes?",
  consent: true,
};

async function submit(as: Record<string, string> = {}) {
  const res = await graphql(ctx.url, SUBMIT, { input }, as);
  expect(res.data!.submitContactMessage.errors).toEqual([]);
  return res.data!.submitContactMessage.message.id as string;
}

describe("contact access", () => {
  it("lets anyone send a message, signed in or not", async () => {
    const before = await ctx.store.models.ContactMessage.countDocuments();
    await submit();
    await submit(await ctx.signIn());
    expect(await ctx.store.models.ContactMessage.countDocuments()).toBe(before + 2);
  });

  it("asks an anonymous reader to sign in", async () => {
    const res = await graphql(ctx.url, READ, { id: await submit() });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["UNAUTHENTICATED"]);
    expect(res.data?.contactMessage ?? null).toBeNull();
  });

  it.each<Role>(["customer", "delivery", "florist"])("forbids a %s to read a message", async (role) => {
    // Even the sender: the message is the shop's record, its details reach support staff only.
    const as = await ctx.signIn(undefined, role);
    const res = await graphql(ctx.url, READ, { id: await submit(as) }, as);
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(["FORBIDDEN"]);
    expect(res.data?.contactMessage ?? null).toBeNull();
  });

  it.each<Role>(["support", "manager", "admin"])("shows a message to %s staff", async (role) => {
    const id = await submit();
    const res = await graphql(ctx.url, READ, { id }, await ctx.signIn(undefined, role));
    expect(res.errors).toBeUndefined();
    expect(res.data!.contactMessage).toEqual({ id, email: input.email, message: input.message });
  });
});
