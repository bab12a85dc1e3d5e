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
      await ctx.signIn(undefined, "support"),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      { id: second, subject: "Segundo", phone: null, status: "NEW" },
      null,
      { id: first, subject: "Primero", phone: null, status: "NEW" },
      null,
    ]);
  });

  it("refuses ContactMessage references without contact:view_all: null, with the reason", async () => {
    const id = await submit("Privado");
    const representations = [{ __typename: "ContactMessage", id }];
    const cases: [Record<string, string>, string][] = [
      [{}, "UNAUTHENTICATED"],
      [await ctx.signIn(), "FORBIDDEN"],
      [await ctx.signIn(undefined, "florist"), "FORBIDDEN"],
    ];
    for (const [as, code] of cases) {
      const res = await resolveEntities(ctx.url, representations, `... on ContactMessage { id email }`, as);
      expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
      expect(res.data?._entities ?? [null]).toEqual([null]);
    }
  });
});
