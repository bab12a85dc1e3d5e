import { tzOffset } from "@date-fns/tz";
import { describe, expect, it } from "vitest";
import {
  BOOKING_HORIZON_DAYS,
  type DeliverySlotsResult,
  deliverySlots,
  openingHours,
  parseLocalDate,
  SHOP_TIME_ZONE,
  shopToday,
  slotsOffered,
} from "../src/delivery/index.js";

const day = (text: string) => {
  const parsed = parseLocalDate(text);
  if (parsed === null) throw new Error(`bad test date ${text}`);
  return parsed;
};

const slotsOf = (result: DeliverySlotsResult) => {
  if (!result.ok) throw new Error(`refused: ${result.reason.code}`);
  return result.day;
};

const summary = (result: DeliverySlotsResult) =>
  slotsOf(result).slots.map((s) => [s.slot, s.start.toISOString(), s.end.toISOString(), s.reason]);

// Monday 2 March 2026, 10:00 in Santiago (summer time, UTC-3).
const mondayMorning = new Date("2026-03-02T13:00:00Z");

describe("the shop calendar (America/Santiago)", () => {
  it("uses a time-zone database that knows Chile's 2026 clock changes", () => {
    // 5 April: summer time ends at local midnight (00:00 -03 → 23:00 -04 on Saturday 4 April).
    expect(tzOffset(SHOP_TIME_ZONE, new Date("2026-04-05T02:59:00Z"))).toBe(-180);
    expect(tzOffset(SHOP_TIME_ZONE, new Date("2026-04-05T03:00:00Z"))).toBe(-240);
    // 6 September: summer time starts at local midnight (00:00 -04 → 01:00 -03).
    expect(tzOffset(SHOP_TIME_ZONE, new Date("2026-09-06T03:59:00Z"))).toBe(-240);
    expect(tzOffset(SHOP_TIME_ZONE, new Date("2026-09-06T04:00:00Z"))).toBe(-180);
  });

  it.each([
    ["2026-03-03T02:30:00Z", "2026-03-02"], // 23:30 Monday in Santiago, Tuesday in UTC
    ["2026-03-03T03:00:00Z", "2026-03-03"],
    ["2026-07-15T03:59:59Z", "2026-07-14"], // winter: UTC-4
    ["2026-04-05T02:30:00Z", "2026-04-04"], // 23:30 -03, the first pass through the repeated hour
    ["2026-04-05T03:30:00Z", "2026-04-04"], // 23:30 -04, the second pass
    ["2026-09-06T03:30:00Z", "2026-09-05"], // 23:30 -04, the last half hour before the skipped one
    ["2026-09-06T04:00:00Z", "2026-09-06"], // 01:00 -03: midnight never happened
  ])("at %s the shop's day is %s", (now, today) => {
    const { year, month, day: d } = shopToday(new Date(now));
    expect([year, month, d]).toEqual(today.split("-").map(Number));
  });

  it.each([
    "2026-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-04-31",
    "2026-2-3",
    "20260203",
    "2026-02-03T00:00",
    "",
    " 2026-02-03",
    "0099-01-01",
    "abcd-ef-gh",
  ])("refuses %j as a calendar date", (text) => {
    expect(parseLocalDate(text)).toBeNull();
  });

  it("accepts real days, 29 February of a leap year included", () => {
    expect(parseLocalDate("2028-02-29")).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseLocalDate("2026-12-31")).toEqual({ year: 2026, month: 12, day: 31 });
  });
});

describe("slots offered", () => {
  it.each([
    ["2026-03-02", "Monday", ["MORNING", "MIDDAY", "AFTERNOON", "EVENING"]],
    ["2026-03-06", "Friday", ["MORNING", "MIDDAY", "AFTERNOON", "EVENING"]],
    ["2026-03-07", "Saturday", ["MORNING", "MIDDAY", "AFTERNOON"]],
    ["2026-03-08", "Sunday", []],
    ["2026-05-10", "Sunday, Día de la Madre", ["MORNING", "MIDDAY", "AFTERNOON"]],
    ["2027-05-10", "Monday, Día de la Madre", ["MORNING", "MIDDAY", "AFTERNOON", "EVENING"]],
    ["2031-05-10", "Saturday, Día de la Madre", ["MORNING", "MIDDAY", "AFTERNOON"]],
    ["2026-05-17", "the Sunday after Día de la Madre", []],
  ])("%s (%s): %j", (date, _label, slots) => {
    expect(slotsOffered(day(date))).toEqual(slots);
  });

  it("opens at 09:00 and closes at 21:00 on weekdays, 18:00 on Saturdays and 10 May, not at all on Sundays", () => {
    expect(openingHours(day("2026-03-02"))).toEqual({
      open: new Date("2026-03-02T09:00:00-03:00"),
      close: new Date("2026-03-02T21:00:00-03:00"),
    });
    expect(openingHours(day("2026-03-07"))?.close).toEqual(new Date("2026-03-07T18:00:00-03:00"));
    expect(openingHours(day("2026-05-10"))?.close).toEqual(new Date("2026-05-10T18:00:00-04:00"));
    expect(openingHours(day("2026-03-08"))).toBeNull();
  });
});

describe("deliverySlots", () => {
  it("gives a weekday's four slots as Santiago instants, all bookable a day ahead", () => {
    const result = deliverySlots({ date: "2026-03-03", now: mondayMorning });
    expect(slotsOf(result).open).toBe(true);
    expect(slotsOf(result).specialDate).toBeNull();
    expect(summary(result)).toEqual([
      ["MORNING", "2026-03-03T12:00:00.000Z", "2026-03-03T15:00:00.000Z", null],
      ["MIDDAY", "2026-03-03T15:00:00.000Z", "2026-03-03T18:00:00.000Z", null],
      ["AFTERNOON", "2026-03-03T18:00:00.000Z", "2026-03-03T21:00:00.000Z", null],
      ["EVENING", "2026-03-03T21:00:00.000Z", "2026-03-04T00:00:00.000Z", null],
    ]);
    expect(slotsOf(result).slots.every((s) => s.available)).toBe(true);
  });

  it("uses winter time (UTC-4) in July", () => {
    const result = deliverySlots({ date: "2026-07-14", now: new Date("2026-07-13T14:00:00Z") });
    expect(summary(result)[0]).toEqual(["MORNING", "2026-07-14T13:00:00.000Z", "2026-07-14T16:00:00.000Z", null]);
  });

  it("marks Saturday's evening slot as not offered", () => {
    const result = deliverySlots({ date: "2026-03-07", now: mondayMorning });
    expect(summary(result).map(([slot, , , reason]) => [slot, reason])).toEqual([
      ["MORNING", null],
      ["MIDDAY", null],
      ["AFTERNOON", null],
      ["EVENING", "NOT_OFFERED"],
    ]);
  });

  it("closes on Sunday", () => {
    const result = slotsOf(deliverySlots({ date: "2026-03-08", now: mondayMorning }));
    expect(result.open).toBe(false);
    expect(result.slots.map((s) => [s.available, s.reason])).toEqual(Array(4).fill([false, "CLOSED_DAY"]));
  });

  it("opens on 10 May though it is a Sunday, with the Saturday slots, and names the day", () => {
    const result = deliverySlots({ date: "2026-05-10", now: new Date("2026-05-04T14:00:00Z") });
    expect(slotsOf(result).open).toBe(true);
    expect(slotsOf(result).specialDate).toEqual({ month: 5, day: 10, name: "Día de la Madre", surcharge: 3000 });
    expect(summary(result)).toEqual([
      ["MORNING", "2026-05-10T13:00:00.000Z", "2026-05-10T16:00:00.000Z", null],
      ["MIDDAY", "2026-05-10T16:00:00.000Z", "2026-05-10T19:00:00.000Z", null],
      ["AFTERNOON", "2026-05-10T19:00:00.000Z", "2026-05-10T22:00:00.000Z", null],
      ["EVENING", "2026-05-10T22:00:00.000Z", "2026-05-11T01:00:00.000Z", "NOT_OFFERED"],
    ]);
  });

  describe("the 3-hour lead", () => {
    // 09:00 Monday in Santiago.
    const nine = new Date("2026-03-02T12:00:00Z");

    it("books a slot starting exactly 3 hours from now, not one starting in 2 h 59", () => {
      const at = (now: Date) => summary(deliverySlots({ date: "2026-03-02", now })).map(([s, , , r]) => [s, r]);
      // Midday starts at 12:00: exactly 3 hours after 09:00, and 2 h 59 after 09:01.
      expect(at(nine)).toEqual([
        ["MORNING", "PAST"],
        ["MIDDAY", null],
        ["AFTERNOON", null],
        ["EVENING", null],
      ]);
      expect(at(new Date("2026-03-02T12:01:00Z"))).toEqual([
        ["MORNING", "PAST"],
        ["MIDDAY", "TOO_SOON"],
        ["AFTERNOON", null],
        ["EVENING", null],
      ]);
      // 08:59: the morning slot starts in 1 minute.
      expect(at(new Date("2026-03-02T11:59:00Z"))[0]).toEqual(["MORNING", "TOO_SOON"]);
    });

    it("measures the lead in real hours from a Santiago now near midnight (UTC already the next day)", () => {
      // 23:30 Monday in Santiago = 02:30 Tuesday UTC.
      const lateMonday = new Date("2026-03-03T02:30:00Z");
      expect(summary(deliverySlots({ date: "2026-03-02", now: lateMonday })).map(([, , , r]) => r)).toEqual(
        Array(4).fill("PAST"),
      );
      // Tuesday's morning slot is 9 h 30 away: bookable.
      expect(summary(deliverySlots({ date: "2026-03-03", now: lateMonday }))[0]).toEqual([
        "MORNING",
        "2026-03-03T12:00:00.000Z",
        "2026-03-03T15:00:00.000Z",
        null,
      ]);
      // 06:00 Tuesday Santiago = 09:00 UTC: the 09:00 slot is exactly 3 hours off.
      expect(summary(deliverySlots({ date: "2026-03-03", now: new Date("2026-03-03T09:00:00Z") }))[0]?.[3]).toBeNull();
    });
  });

  describe("Chile's clock changes", () => {
    it("end of summer time, 5 April 2026: Saturday at -03, the Sunday closed at -04, Monday at -04", () => {
      const now = new Date("2026-04-01T15:00:00Z");
      expect(summary(deliverySlots({ date: "2026-04-04", now }))[0]).toEqual([
        "MORNING",
        "2026-04-04T12:00:00.000Z",
        "2026-04-04T15:00:00.000Z",
        null,
      ]);
      const sunday = slotsOf(deliverySlots({ date: "2026-04-05", now }));
      expect(sunday.open).toBe(false);
      expect(sunday.slots[0]?.start.toISOString()).toBe("2026-04-05T13:00:00.000Z");
      expect(summary(deliverySlots({ date: "2026-04-06", now }))[0]).toEqual([
        "MORNING",
        "2026-04-06T13:00:00.000Z",
        "2026-04-06T16:00:00.000Z",
        null,
      ]);
    });

    it("start of summer time, 6 September 2026: Saturday at -04, the Sunday closed at -03, Monday at -03", () => {
      const now = new Date("2026-09-02T15:00:00Z");
      expect(summary(deliverySlots({ date: "2026-09-05", now }))[2]).toEqual([
        "AFTERNOON",
        "2026-09-05T19:00:00.000Z",
        "2026-09-05T22:00:00.000Z",
        null,
      ]);
      const sunday = slotsOf(deliverySlots({ date: "2026-09-06", now }));
      expect(sunday.open).toBe(false);
      expect(sunday.slots[0]?.start.toISOString()).toBe("2026-09-06T12:00:00.000Z");
      expect(summary(deliverySlots({ date: "2026-09-07", now }))[3]).toEqual([
        "EVENING",
        "2026-09-07T21:00:00.000Z",
        "2026-09-08T00:00:00.000Z",
        null,
      ]);
    });

    it("counts Monday's morning slot from inside the repeated hour in real time", () => {
      // 23:00–24:00 on Saturday 4 April happens twice: 02:30 UTC is 23:30 -03, 03:30 UTC is 23:30 -04.
      // Both are still Saturday in the shop, and Monday 09:00 (-04) is 13:00 UTC either way.
      for (const now of [new Date("2026-04-05T02:30:00Z"), new Date("2026-04-05T03:30:00Z")]) {
        expect(summary(deliverySlots({ date: "2026-04-04", now })).map(([, , , r]) => r)).toEqual([
          "PAST",
          "PAST",
          "PAST",
          "NOT_OFFERED",
        ]);
        expect(summary(deliverySlots({ date: "2026-04-06", now }))[0]?.[1]).toBe("2026-04-06T13:00:00.000Z");
      }
    });
  });

  it(`books up to ${BOOKING_HORIZON_DAYS} days ahead, not a day more`, () => {
    // 2 March + 60 days = Friday 1 May; Saturday 2 May is beyond.
    expect(summary(deliverySlots({ date: "2026-05-01", now: mondayMorning }))[0]?.[3]).toBeNull();
    expect(summary(deliverySlots({ date: "2026-05-02", now: mondayMorning }))[0]?.[3]).toBe("TOO_FAR_AHEAD");
  });

  it("checks a commune when one is given, accent-insensitively", () => {
    expect(deliverySlots({ date: "2026-03-03", commune: "nunoa", now: mondayMorning }).ok).toBe(true);
    expect(deliverySlots({ date: "2026-03-03", commune: "  ", now: mondayMorning }).ok).toBe(true);
    const refused = deliverySlots({ date: "2026-03-03", commune: "Maipú", now: mondayMorning });
    expect(refused).toEqual({
      ok: false,
      reason: { code: "COMMUNE_NOT_SERVED", field: "commune", message: expect.stringContaining("pick the order up") },
    });
  });

  it("refuses a date that is not a calendar day instead of throwing", () => {
    expect(deliverySlots({ date: "2026-02-30", now: mondayMorning })).toEqual({
      ok: false,
      reason: { code: "INVALID_DATE", field: "date", message: expect.stringContaining("2026-02-30") },
    });
  });

  it("throws on an invalid clock, a server bug rather than a customer's error", () => {
    expect(() => deliverySlots({ date: "2026-03-03", now: new Date("nonsense") })).toThrow(TypeError);
  });
});
