import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "@fv/platform/testing";
import { startContact } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startContact>>;
/** Support staff: contact:view_all. */
let support: Record<string, string>;
beforeAll(async () => {
  ctx = await startContact();
  support = await ctx.signIn(undefined, "support");
});
afterAll(() => ctx?.stop());

const SUBMIT = /* GraphQL */ `
  mutation ($input: SubmitContactMessageInput!) {
    submitContactMessage(input: $input) {
      message {
        id
        name
        email
        phone
        subject
        message
        consent
        status
        createdAt
      }
      errors {
        field
        code
        message
      }
    }
  }
`;
const READ = `query ($id: ID!) { contactMessage(id: $id) { id subject status } }`;

const valid = {
  name: "Josefa Muñoz",
  email: "josefa@example.cl",
  phone: "+56 9 1234 5678",
  subject: "Pedido para el viernes",
  message: "Hola, ¿pueden entregar un ramo en Ñuñoa el viernes?",
  consent: true,
};

async function submit(input: Record<string, unknown>) {
  const res = await graphql(ctx.url, SUBMIT, { input });
  expect(res.errors).toBeUndefined();
  return res.data!.submitContactMessage;
}

const count = () => ctx.store.models.ContactMessage.countDocuments();

describe("submitContactMessage and contactMessage", () => {
  it("stores the message as NEW with its email delivery PENDING, readable by id by support staff", async () => {
    const payload = await submit({ ...valid, website: "" });
    expect(payload.errors).toEqual([]);
    expect(payload.message).toMatchObject({ ...valid, phone: "+56912345678", status: "NEW" });

    const row = await ctx.store.models.ContactMessage.findById(payload.message.id).lean();
    expect(row).toMatchObject({ email: valid.email, phone: "+56912345678", consent: true, status: "NEW" });
    expect(row!.delivery).toMatchObject({ state: "PENDING", attempts: 0 });
    expect(row!.delivery.nextAttemptAt.getTime()).toBeLessThanOrEqual(row!.createdAt.getTime());

    const read = await graphql(ctx.url, READ, { id: payload.message.id }, support);
    expect(read.data!.contactMessage).toEqual({ id: payload.message.id, subject: valid.subject, status: "NEW" });
  });

  it("stores a message without a phone", async () => {
    const payload = await submit({ ...valid, phone: null });
    expect(payload.message.phone).toBeNull();
    expect((await ctx.store.models.ContactMessage.findById(payload.message.id).lean())!.phone).toBeNull();
  });

  it("names every wrong field and stores nothing", async () => {
    const before = await count();
    const payload = await submit({
      ...valid,
      name: "J",
      email: "nope",
      phone: "12345",
      message: "corto",
      consent: false,
    });
    expect(payload.message).toBeNull();
    expect(payload.errors.map((e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`)).toEqual([
      "input.name:TOO_SHORT",
      "input.email:INVALID_EMAIL",
      "input.phone:INVALID_PHONE",
      "input.message:TOO_SHORT",
      "input.consent:CONSENT_REQUIRED",
    ]);
    expect(await count()).toBe(before);
  });

  it("drops a bot's message silently: success-looking, nothing stored", async () => {
    const before = await count();
    const payload = await submit({ ...valid, website: "http://spam.example" });
    expect(payload).toEqual({ message: null, errors: [] });
    // Even an invalid one: the bot learns nothing from validation.
    expect(await submit({ ...valid, consent: false, website: "x" })).toEqual({ message: null, errors: [] });
    expect(await count()).toBe(before);
  });

  it("answers null for malformed and unknown ids", async () => {
    for (const id of ["not-an-id", "0123456789abcdef01234567"]) {
      const res = await graphql(ctx.url, READ, { id }, support);
      expect(res.errors).toBeUndefined();
      expect(res.data!.contactMessage).toBeNull();
    }
  });
});
