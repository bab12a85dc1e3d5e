import { describe, expect, it } from "vitest";
import {
  type DeliveryQuote,
  type DeliveryQuoteInput,
  type DeliveryQuoteResult,
  type DeliveryRefusal,
  deliveryQuote,
} from "../src/delivery/index.js";

const quoted = (result: DeliveryQuoteResult): DeliveryQuote => {
  if (!result.ok) throw new Error(`refused: ${result.reason.code}: ${result.reason.message}`);
  return result.quote;
};

const refused = (result: DeliveryQuoteResult): DeliveryRefusal => {
  if (result.ok) throw new Error(`expected a refusal, got a fee of ${result.quote.fee}`);
  return result.reason;
};

// Monday 2 March 2026 in Santiago (UTC-3). Tuesday 3 March is "tomorrow".
const at = (localTime: string) => new Date(`2026-03-02T${localTime}:00-03:00`);
const mondayTen = at("10:00");

const base: DeliveryQuoteInput = {
  commune: "Ñuñoa",
  method: "STANDARD",
  date: "2026-03-03",
  slot: "MORNING",
  subtotal: 20_000,
  now: mondayTen,
};
const quote = (overrides: Partial<DeliveryQuoteInput>) => deliveryQuote({ ...base, ...overrides });

describe("deliveryQuote: STANDARD", () => {
  it("charges the zone's base fee for a slot tomorrow, with the whole breakdown", () => {
    const q = quoted(quote({ commune: " nunoa " }));
    expect({ ...q, zone: q.zone?.id }).toEqual({
      method: "STANDARD",
      zone: "SANTIAGO_CENTRO",
      commune: "Ñuñoa",
      date: "2026-03-03",
      slot: "MORNING",
      window: { start: new Date("2026-03-03T12:00:00Z"), end: new Date("2026-03-03T15:00:00Z") },
      baseFee: 3490,
      methodFee: 3490,
      scheduledDiscount: 0,
      surcharge: 0,
      specialDate: null,
      freeDeliveryThreshold: 40_000,
      amountToFreeDelivery: 20_000,
      freeDelivery: false,
      fee: 3490,
      usualMinutes: { min: 45, max: 90 },
    });
  });

  it("is not offered for today, so the same-day premium and cut-off cannot be sidestepped", () => {
    expect(refused(quote({ date: "2026-03-02", slot: "EVENING" }))).toMatchObject({
      code: "METHOD_NOT_FOR_TODAY",
      field: "method",
    });
  });

  it("delivers on Saturday in the first three slots only", () => {
    expect(quoted(quote({ date: "2026-03-07", slot: "AFTERNOON" })).fee).toBe(3490);
    const reason = refused(quote({ date: "2026-03-07", slot: "EVENING" }));
    expect(reason).toMatchObject({ code: "SLOT_NOT_OFFERED", field: "slot" });
    expect(reason.message).toContain("MORNING, MIDDAY, AFTERNOON");
  });

  it("does not deliver on Sunday", () => {
    expect(refused(quote({ date: "2026-03-08" }))).toMatchObject({ code: "CLOSED_DAY", field: "date" });
  });

  it("delivers on Sunday 10 May, Día de la Madre, with its surcharge", () => {
    const q = quoted(quote({ date: "2026-05-10", slot: "MIDDAY", now: new Date("2026-05-04T10:00:00-04:00") }));
    expect([q.fee, q.surcharge, q.specialDate]).toEqual([6490, 3000, "Día de la Madre"]);
    expect(q.window.start).toEqual(new Date("2026-05-10T12:00:00-04:00"));
  });
});

describe("deliveryQuote: EXPRESS", () => {
  const express = (overrides: Partial<DeliveryQuoteInput>) =>
    quote({ method: "EXPRESS", date: "2026-03-02", slot: null, subtotal: 25_000, ...overrides });

  it("charges 1.5 × the base fee and arrives within 2 hours of now", () => {
    const q = quoted(express({}));
    expect([q.methodFee, q.fee, q.slot]).toEqual([5235, 5235, null]);
    expect(q.window).toEqual({ start: mondayTen, end: at("12:00") });
  });

  it("needs a subtotal of 25,000: 24,999 is refused with the peso missing", () => {
    const reason = refused(express({ subtotal: 24_999 }));
    expect(reason).toMatchObject({ code: "EXPRESS_MINIMUM_NOT_MET", field: "method" });
    expect(reason.message).toContain("CLP 25,000");
    expect(reason.message).toContain("add CLP 1 more");
  });

  it("runs from opening time until 2 hours before closing on weekdays (09:00–19:00)", () => {
    expect(refused(express({ now: at("08:59") })).code).toBe("EXPRESS_NOT_AVAILABLE_NOW");
    expect(quoted(express({ now: at("09:00") })).window.end).toEqual(at("11:00"));
    expect(quoted(express({ now: at("19:00") })).window.end).toEqual(at("21:00"));
    const late = refused(express({ now: at("19:01") }));
    expect(late).toMatchObject({ code: "EXPRESS_NOT_AVAILABLE_NOW", field: "method" });
    expect(late.message).toContain("from 09:00 until 19:00");
  });

  it("stops at 16:00 on Saturday, when the shop closes at 18:00", () => {
    const saturday = (time: string) => new Date(`2026-03-07T${time}:00-03:00`);
    expect(quoted(express({ date: "2026-03-07", now: saturday("16:00") })).fee).toBe(5235);
    expect(refused(express({ date: "2026-03-07", now: saturday("16:01") })).message).toContain("until 16:00");
  });

  it("is closed on Sunday but open on 10 May", () => {
    const sunday = new Date("2026-03-08T11:00:00-03:00");
    expect(refused(express({ date: "2026-03-08", now: sunday })).code).toBe("CLOSED_DAY");
    const q = quoted(express({ date: "2026-05-10", now: new Date("2026-05-10T11:00:00-04:00") }));
    expect([q.methodFee, q.surcharge, q.fee]).toEqual([5235, 3000, 8235]);
  });

  it("is for today only, and takes no slot", () => {
    expect(refused(express({ date: "2026-03-03" }))).toMatchObject({ code: "EXPRESS_WRONG_DATE", field: "date" });
    expect(refused(express({ slot: "MIDDAY" }))).toMatchObject({ code: "SLOT_NOT_APPLICABLE", field: "slot" });
  });
});

describe("deliveryQuote: SAME_DAY", () => {
  const sameDay = (overrides: Partial<DeliveryQuoteInput>) =>
    quote({ method: "SAME_DAY", date: "2026-03-02", slot: "EVENING", ...overrides });

  it("charges 1.3 × the base fee when ordered at 13:59, and refuses at 14:00 (Santiago)", () => {
    const q = quoted(sameDay({ now: at("13:59") }));
    expect([q.methodFee, q.fee]).toEqual([4537, 4537]);
    expect(refused(sameDay({ now: at("14:00") }))).toMatchObject({ code: "SAME_DAY_CUTOFF_PASSED", field: "method" });
  });

  it("reads the cut-off on the Santiago clock in winter too (UTC-4)", () => {
    const winter = { date: "2026-06-15" };
    expect(quoted(sameDay({ ...winter, now: new Date("2026-06-15T17:59:00Z") })).fee).toBe(4537);
    expect(refused(sameDay({ ...winter, now: new Date("2026-06-15T18:00:00Z") })).code).toBe("SAME_DAY_CUTOFF_PASSED");
  });

  it("still needs the 3-hour lead: at 13:59 the 15:00 slot is too soon", () => {
    expect(refused(sameDay({ now: at("13:59"), slot: "AFTERNOON" }))).toMatchObject({
      code: "SLOT_TOO_SOON",
      field: "slot",
    });
  });

  it("is for today only", () => {
    expect(refused(sameDay({ date: "2026-03-03", now: at("09:00") }))).toMatchObject({
      code: "SAME_DAY_WRONG_DATE",
      field: "date",
    });
  });

  it("at 23:30 Santiago (already the next day in UTC) today is still Monday: Tuesday is not same-day", () => {
    const lateMonday = new Date("2026-03-03T02:30:00Z");
    expect(refused(sameDay({ date: "2026-03-03", slot: "MORNING", now: lateMonday })).code).toBe("SAME_DAY_WRONG_DATE");
    expect(refused(sameDay({ date: "2026-03-02", now: lateMonday })).code).toBe("SAME_DAY_CUTOFF_PASSED");
    // …and Tuesday morning is an ordinary next-day delivery.
    expect(quoted(quote({ date: "2026-03-03", slot: "MORNING", now: lateMonday })).fee).toBe(3490);
  });
});

describe("deliveryQuote: SCHEDULED", () => {
  const scheduled = (overrides: Partial<DeliveryQuoteInput>) => quote({ method: "SCHEDULED", ...overrides });

  it("takes 10 % off the fee when the slot starts exactly 24 hours after the order", () => {
    const q = quoted(scheduled({ now: at("09:00") }));
    expect([q.methodFee, q.scheduledDiscount, q.fee]).toEqual([3490, 349, 3141]);
  });

  it("gives no discount at 23 h 59 ahead", () => {
    const q = quoted(scheduled({ now: at("09:01") }));
    expect([q.methodFee, q.scheduledDiscount, q.fee]).toEqual([3490, 0, 3490]);
  });

  it("is not offered for today", () => {
    expect(refused(scheduled({ date: "2026-03-02", slot: "EVENING" })).code).toBe("METHOD_NOT_FOR_TODAY");
  });
});

describe("deliveryQuote: PICKUP", () => {
  const pickup = (overrides: Partial<DeliveryQuoteInput>) =>
    quote({ method: "PICKUP", commune: null, date: "2026-03-02", slot: "AFTERNOON", ...overrides });

  it("is free, needs no commune, and can be today with the 3-hour lead", () => {
    const q = quoted(pickup({}));
    expect(q).toMatchObject({
      zone: null,
      commune: null,
      baseFee: 0,
      methodFee: 0,
      scheduledDiscount: 0,
      surcharge: 0,
      fee: 0,
      freeDeliveryThreshold: null,
      amountToFreeDelivery: 0,
      freeDelivery: false,
      usualMinutes: null,
    });
    expect(q.window).toEqual({ start: at("15:00"), end: at("18:00") });
    expect(refused(pickup({ slot: "MIDDAY", now: at("09:01") })).code).toBe("SLOT_TOO_SOON");
  });

  it("ignores a commune the shop does not deliver to", () => {
    expect(quoted(pickup({ commune: "Maipú" })).fee).toBe(0);
  });

  it("carries no special-date surcharge, though it names the day", () => {
    const q = quoted(pickup({ date: "2026-02-14", slot: "MORNING", now: new Date("2026-02-10T10:00:00-03:00") }));
    expect([q.fee, q.surcharge, q.specialDate]).toEqual([0, 0, "San Valentín"]);
  });

  it("keeps the shop's hours: closed on Sunday, no evening on Saturday, a slot is needed", () => {
    expect(refused(pickup({ date: "2026-03-08" })).code).toBe("CLOSED_DAY");
    expect(refused(pickup({ date: "2026-03-07", slot: "EVENING" })).code).toBe("SLOT_NOT_OFFERED");
    expect(refused(pickup({ slot: null }))).toMatchObject({ code: "SLOT_REQUIRED", field: "slot" });
  });
});

describe("deliveryQuote: refusals", () => {
  it.each<[string, Partial<DeliveryQuoteInput>, string, string]>([
    ["an unknown commune", { commune: "Maipú" }, "COMMUNE_NOT_SERVED", "commune"],
    ["no commune", { commune: undefined }, "COMMUNE_REQUIRED", "commune"],
    ["a blank commune", { commune: "   " }, "COMMUNE_REQUIRED", "commune"],
    ["no slot", { slot: undefined }, "SLOT_REQUIRED", "slot"],
    ["an unknown slot", { slot: "NIGHT" as never }, "INVALID_SLOT", "slot"],
    ["an unknown method", { method: "DRONE" as never }, "INVALID_METHOD", "method"],
    ["a negative subtotal", { subtotal: -1 }, "INVALID_SUBTOTAL", "subtotal"],
    ["a fractional subtotal", { subtotal: 19_999.5 }, "INVALID_SUBTOTAL", "subtotal"],
    ["a NaN subtotal", { subtotal: Number.NaN }, "INVALID_SUBTOTAL", "subtotal"],
    ["30 February", { date: "2026-02-30" }, "INVALID_DATE", "date"],
    ["a date with a time", { date: "2026-03-03T09:00" }, "INVALID_DATE", "date"],
    ["a day-first date", { date: "03-03-2026" }, "INVALID_DATE", "date"],
    ["a missing date", { date: undefined as never }, "INVALID_DATE", "date"],
    ["yesterday", { date: "2026-03-01" }, "DATE_IN_PAST", "date"],
    ["61 days ahead", { date: "2026-05-02" }, "DATE_TOO_FAR", "date"],
    ["a slot already started", { date: "2026-03-02", method: "PICKUP", slot: "MORNING" }, "SLOT_TOO_SOON", "slot"],
  ])("refuses %s", (_label, overrides, code, field) => {
    const reason = refused(quote(overrides));
    expect(reason.code).toBe(code);
    expect(reason.field).toBe(field);
    expect(reason.message.length).toBeGreaterThan(20);
  });

  it("names the commune and says that pickup stays possible", () => {
    expect(refused(quote({ commune: " Maipú " })).message).toBe(
      'We do not deliver to "Maipú"; you can still pick the order up in store.',
    );
  });

  it("names the last bookable day and today when a date is out of range", () => {
    expect(refused(quote({ date: "2026-05-02" })).message).toContain("until 2026-05-01");
    expect(quoted(quote({ date: "2026-05-01" })).date).toBe("2026-05-01");
    expect(refused(quote({ date: "2026-03-01" })).message).toContain("today, 2026-03-02");
  });

  it("says whether a refused slot has started or starts too soon", () => {
    const pickupToday = { method: "PICKUP" as const, date: "2026-03-02" };
    expect(refused(quote({ ...pickupToday, slot: "MORNING" })).message).toContain("already started");
    expect(refused(quote({ ...pickupToday, slot: "MIDDAY" })).message).toContain("less than 3 hours");
  });

  it("throws on an invalid clock, a server bug rather than a customer's error", () => {
    expect(() => quote({ now: new Date(Number.NaN) })).toThrow(TypeError);
  });
});
