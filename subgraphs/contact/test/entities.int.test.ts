import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, resolveEntities } from "@fv/platform/testing";
import { startContact } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startContact>>;
beforeAll(async () => {
  ctx = await startContact();
});
afterAll(() => ctx?.stop());

const SUBMIT = `mutation ($input: SubmitContactMessageInput!) {
  submitContactMessage(input: $input) { message { id } errors { code } }
}`;

async function submit(subject: string) {
  const res = await graphql(ctx.url, SUBMIT, {
    input: { name: "Ana", email: "ana@example.cl", subject, message: "Un mensaje de prueba.", consent: true },
  });
  return res.data!.submitContactMessage.message.id as string;
}

describe("_entities contract", () => {
  it("resolves ContactMessage references in order, null for unknown or malformed ids", async () => {
    const first = await submit("Primero");
    const second = await submit("Segundo");
    const res = await resolveEntities(
      ctx.url,
      [
        { __typename: "ContactMessage", id: second },
        { __typename: "ContactMessage", id: "0123456789abcdef01234567" },
        { __typename: "ContactMessage", id: first },
        { __typename: "ContactMessage", id: "not-an-id" },
      ],
      `... on ContactMessage { id subject phone status }`,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: second, subject: "Segundo", phone: null, status: "NEW" },
      null,
      { id: first, subject: "Primero", phone: null, status: "NEW" },
      null,
    ]);
  });
});
