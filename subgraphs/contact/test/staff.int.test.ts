import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { graphql, type GraphQLResponse } from "@fv/platform/testing";
import type { Role } from "@fv/platform";
import { startContact } from "./helpers.js";

let ctx: Awaited<ReturnType<typeof startContact>>;
let support: Record<string, string>;
const supportId = randomUUID();
beforeAll(async () => {
  ctx = await startContact();
  support = await ctx.signIn(supportId, "support");
});
afterAll(() => ctx?.stop());

const SUBMIT = `mutation ($input: SubmitContactMessageInput!) {
  submitContactMessage(input: $input) { message { id } errors { code } }
}`;
const LIST = `query ($filter: ContactMessageFilter, $first: Int, $after: String) {
  contactMessages(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { cursor node { id subject status } }
    pageInfo { hasNextPage hasPreviousPage endCursor }
  }
}`;
const CHANGE = `mutation ($input: ChangeContactMessageStatusInput!) {
  changeContactMessageStatus(input: $input) {
    message { id status emailDelivery history { from to note changedBy changedAt } }
    errors { field code message }
  }
}`;

async function submit(email: string, subject: string) {
  const res = await graphql(ctx.url, SUBMIT, {
    input: { name: "Ana", email, subject, message: "Un mensaje de prueba.", consent: true },
  });
  return res.data!.submitContactMessage.message.id as string;
}

const change = (input: Record<string, unknown>, as = support) => graphql(ctx.url, CHANGE, { input }, as);

describe("contactMessages", () => {
  it("pages newest first through messages filtered by status and email", async () => {
    const email = `${randomUUID()}@Example.cl`;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await submit(email, `Consulta ${i}`));
    await submit(`${randomUUID()}@example.cl`, "De otra persona");
    expect((await change({ id: ids[1], status: "IN_PROGRESS" })).data!.changeContactMessageStatus.errors).toEqual([]);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 4; page++) {
      const res: GraphQLResponse = await graphql(
        ctx.url,
        LIST,
        { filter: { email: email.toLowerCase(), status: ["NEW"] }, first: 2, after },
        support,
      );
      expect(res.errors).toBeUndefined();
      const connection = res.data!.contactMessages as {
        totalCount: number;
        edges: { node: { id: string } }[];
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
      };
      expect(connection.totalCount).toBe(4);
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...connection.edges.map((e) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual([ids[4], ids[3], ids[2], ids[0]]);

    const inProgress = await graphql(ctx.url, LIST, { filter: { email, status: ["IN_PROGRESS"] } }, support);
    expect(inProgress.data!.contactMessages.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([ids[1]]);
  });

  it("rejects a malformed cursor and a page over 100", async () => {
    const bad = await graphql(ctx.url, LIST, { after: "bm9wZQ" }, support);
    expect(bad.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const tooMany = await graphql(ctx.url, LIST, { first: 101 }, support);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it.each<[Role | null, string]>([
    [null, "UNAUTHENTICATED"],
    ["customer", "FORBIDDEN"],
    ["florist", "FORBIDDEN"],
  ])("refuses the list to %s", async (role, code) => {
    const res = await graphql(ctx.url, LIST, {}, role ? await ctx.signIn(undefined, role) : {});
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
  });
});

describe("changeContactMessageStatus", () => {
  it("moves a message NEW → IN_PROGRESS → RESOLVED → CLOSED, recording each step with its note", async () => {
    const id = await submit("ana@example.cl", "Ramo para el viernes");
    const steps: [string, string | null][] = [
      ["IN_PROGRESS", "La llamé"],
      ["RESOLVED", null],
      ["CLOSED", "  Sin más que hacer  "],
    ];
    for (const [i, [status, note]] of steps.entries()) {
      const res = await change({ id, status, note });
      expect(res.errors).toBeUndefined();
      const { message, errors } = res.data!.changeContactMessageStatus;
      expect(errors).toEqual([]);
      expect(message.status).toBe(status);
      expect(message.emailDelivery).toBe("PENDING");
      expect(message.history).toHaveLength(i + 1);
      expect(message.history[i]).toMatchObject({ to: status, note: note?.trim() ?? null, changedBy: supportId });
    }
    const last = await change({ id, status: "IN_PROGRESS" });
    expect(last.data!.changeContactMessageStatus).toEqual({
      message: null,
      errors: [
        { field: ["input", "status"], code: "INVALID_TRANSITION", message: "a CLOSED message cannot change status" },
      ],
    });

    const row = await ctx.store.models.ContactMessage.findById(id).lean();
    expect(row).toMatchObject({ status: "CLOSED", statusVersion: 3 });
    const history = await ctx.store.models.StatusChange.find({ messageId: row!._id }).sort({ changedAt: 1 }).lean();
    expect(history.map((h) => [h.from, h.to, h.note, h.changedBy])).toEqual([
      ["NEW", "IN_PROGRESS", "La llamé", supportId],
      ["IN_PROGRESS", "RESOLVED", null, supportId],
      ["RESOLVED", "CLOSED", "Sin más que hacer", supportId],
    ]);
  });

  it("refuses a move the table lacks, an unknown id and a long note, changing nothing", async () => {
    const id = await submit("ana@example.cl", "Consulta");
    const codes = async (input: Record<string, unknown>) =>
      (await change(input)).data!.changeContactMessageStatus.errors.map(
        (e: { field: string[]; code: string }) => `${e.field.join(".")}:${e.code}`,
      );
    expect(await codes({ id, status: "RESOLVED" })).toEqual(["input.status:INVALID_TRANSITION"]);
    expect(await codes({ id, status: "IN_PROGRESS", note: "n".repeat(2001) })).toEqual(["input.note:TOO_LONG"]);
    expect(await codes({ id: "0123456789abcdef01234567", status: "IN_PROGRESS" })).toEqual(["input.id:NOT_FOUND"]);
    expect(await codes({ id: "nope", status: "IN_PROGRESS" })).toEqual(["input.id:NOT_FOUND"]);
    expect(await ctx.store.models.ContactMessage.findById(id).lean()).toMatchObject({
      status: "NEW",
      statusVersion: 0,
    });
    expect(await ctx.store.models.StatusChange.countDocuments({ messageId: id })).toBe(0);
  });

  it("lets one of concurrent changes of the same message win", async () => {
    const id = await submit("ana@example.cl", "Carrera");
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => change({ id, status: i % 2 ? "IN_PROGRESS" : "CLOSED", note: `n${i}` })),
    );
    const payloads = results.map((r) => r.data!.changeContactMessageStatus);
    const winners = payloads.filter((p) => p.errors.length === 0);
    expect(winners).toHaveLength(1);
    // A loser either raced the winner (STATUS_CHANGED) or came after it and read the new status.
    for (const loser of payloads.filter((p) => p.errors.length))
      expect(["STATUS_CHANGED", "INVALID_TRANSITION"]).toContain(loser.errors[0].code);
    const row = await ctx.store.models.ContactMessage.findById(id).lean();
    expect(row).toMatchObject({ status: winners[0].message.status, statusVersion: 1 });
    expect(await ctx.store.models.StatusChange.countDocuments({ messageId: id })).toBe(1);
  });

  it.each<[Role | null, string]>([
    [null, "UNAUTHENTICATED"],
    ["customer", "FORBIDDEN"],
    ["delivery", "FORBIDDEN"],
  ])("refuses a status change to %s", async (role, code) => {
    const id = await submit("ana@example.cl", "Privado");
    const res = await change({ id, status: "IN_PROGRESS" }, role ? await ctx.signIn(undefined, role) : {});
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    expect(await ctx.store.models.ContactMessage.findById(id).lean()).toMatchObject({ status: "NEW" });
  });
});
