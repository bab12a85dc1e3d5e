import { describe, expect, it } from "vitest";
import {
  DELIVERY_COMMUNES,
  type DeliveryMethod,
  type DeliveryQuote,
  type DeliveryQuoteInput,
  type DeliveryQuoteResult,
  deliveryQuote,
  percentOfPesos,
} from "../src/delivery/index.js";

const quoted = (result: DeliveryQuoteResult): DeliveryQuote => {
  if (!result.ok) throw new Error(`refused: ${result.reason.code}: ${result.reason.message}`);
  return result.quote;
};

// Monday 2 March 2026, 09:00 in Santiago: tomorrow's morning slot is exactly 24 h away (scheduled discount),
// today's evening slot is 9 h away and before the same-day cut-off, express fits in opening hours.
const now = new Date("2026-03-02T09:00:00-03:00");

const inputFor = (method: DeliveryMethod, commune: string, subtotal: number): DeliveryQuoteInput => {
  const today = method === "EXPRESS" || method === "SAME_DAY";
  return {
    method,
    commune,
    subtotal,
    now,
    date: today ? "2026-03-02" : "2026-03-03",
    slot: method === "EXPRESS" ? null : today ? "EVENING" : "MORNING",
  };
};

// Expected fee per commune and method, worked out by hand from DOMAIN.md: STANDARD = base,
// EXPRESS = base × 1.5, SAME_DAY = base × 1.3, SCHEDULED (24 h ahead) = base − 10 %.
const fees: [commune: string, standard: number, express: number, sameDay: number, scheduled: number][] = [
  ["Recoleta", 2990, 4485, 3887, 2691],
  ["Independencia", 2990, 4485, 3887, 2691],
  ["Conchalí", 2990, 4485, 3887, 2691],
  ["Huechuraba", 3990, 5985, 5187, 3591],
  ["Quilicura", 3990, 5985, 5187, 3591],
  ["Renca", 3990, 5985, 5187, 3591],
  ["Cerro Navia", 4990, 7485, 6487, 4491],
  ["Lo Prado", 4990, 7485, 6487, 4491],
  ["Quinta Normal", 4990, 7485, 6487, 4491],
  ["Vitacura", 4990, 7485, 6487, 4491],
  ["Lo Barnechea", 4990, 7485, 6487, 4491],
  ["Las Condes", 4990, 7485, 6487, 4491],
  ["Santiago", 3490, 5235, 4537, 3141],
  ["Providencia", 3490, 5235, 4537, 3141],
  ["Ñuñoa", 3490, 5235, 4537, 3141],
];

describe("delivery fees", () => {
  it("covers every commune served", () => {
    expect(fees.map(([c]) => c).sort()).toEqual(DELIVERY_COMMUNES.map((c) => c.name).sort());
  });

  it.each(fees)("%s: standard %i, express %i, same-day %i, scheduled %i, pickup 0", (commune, ...expected) => {
    const methods: DeliveryMethod[] = ["STANDARD", "EXPRESS", "SAME_DAY", "SCHEDULED"];
    const actual = methods.map((m) => quoted(deliveryQuote(inputFor(m, commune, 25_000))).fee);
    expect(actual).toEqual(expected);
    expect(quoted(deliveryQuote({ ...inputFor("STANDARD", commune, 25_000), method: "PICKUP" })).fee).toBe(0);
  });

  it("rounds a multiplied fee to whole pesos, half up", () => {
    expect(percentOfPesos(3490, 130)).toBe(4537);
    expect(percentOfPesos(3490, 150)).toBe(5235);
    expect(percentOfPesos(3495, 130)).toBe(4544); // 4,543.5
    expect(percentOfPesos(3491, 130)).toBe(4538); // 4,538.3
    expect(percentOfPesos(3497, 150)).toBe(5246); // 5,245.5
    expect(percentOfPesos(3494, 10)).toBe(349); // 349.4
    expect(percentOfPesos(3495, 10)).toBe(350); // 349.5
  });
});

describe("free delivery", () => {
  const zones: [commune: string, zone: string, threshold: number, baseFee: number][] = [
    ["Recoleta", "Centro Norte", 35_000, 2990],
    ["Renca", "Norte Intermedia", 45_000, 3990],
    ["Lo Prado", "Norte Extendida", 55_000, 4990],
    ["Vitacura", "Oriente Norte", 50_000, 4990],
    ["Providencia", "Santiago Centro", 40_000, 3490],
  ];

  it.each(zones)("%s (%s): 1 peso short of %i pays %i; at the threshold delivery is free", (commune, _z, t, fee) => {
    const short = quoted(deliveryQuote(inputFor("STANDARD", commune, t - 1)));
    expect([short.freeDelivery, short.amountToFreeDelivery, short.fee]).toEqual([false, 1, fee]);
    const reached = quoted(deliveryQuote(inputFor("STANDARD", commune, t)));
    expect([reached.freeDelivery, reached.amountToFreeDelivery, reached.methodFee, reached.fee]).toEqual([
      true,
      0,
      0,
      0,
    ]);
    expect([reached.baseFee, reached.freeDeliveryThreshold]).toEqual([fee, t]);
    expect(quoted(deliveryQuote(inputFor("STANDARD", commune, t + 10_000))).amountToFreeDelivery).toBe(0);
  });

  it("waives the express and same-day premiums too, and leaves no scheduled discount to give", () => {
    for (const method of ["EXPRESS", "SAME_DAY", "SCHEDULED"] as const) {
      const q = quoted(deliveryQuote(inputFor(method, "Ñuñoa", 40_000)));
      expect([q.methodFee, q.scheduledDiscount, q.fee]).toEqual([0, 0, 0]);
    }
  });

  it("reports how far an empty cart is from the threshold", () => {
    expect(quoted(deliveryQuote(inputFor("STANDARD", "Ñuñoa", 0))).amountToFreeDelivery).toBe(40_000);
  });
});

describe("special dates", () => {
  // Each day with a `now` a few days before it, and a slot that day offers (14 Feb 2026 is a Saturday,
  // 10 May a Sunday, 24, 25 and 31 Dec a Thursday, Friday and Thursday).
  const specials: [date: string, name: string, surcharge: number, now: string][] = [
    ["2026-02-14", "San Valentín", 5000, "2026-02-10T10:00:00-03:00"],
    ["2026-05-10", "Día de la Madre", 3000, "2026-05-04T10:00:00-04:00"],
    ["2026-12-24", "Nochebuena", 3000, "2026-12-01T10:00:00-03:00"],
    ["2026-12-25", "Navidad", 5000, "2026-12-01T10:00:00-03:00"],
    ["2026-12-31", "Fin de Año", 5000, "2026-12-01T10:00:00-03:00"],
  ];

  const onDay = (date: string, nowIso: string, subtotal: number, method: DeliveryMethod = "STANDARD") =>
    quoted(deliveryQuote({ method, commune: "Ñuñoa", date, slot: "MIDDAY", subtotal, now: new Date(nowIso) }));

  it.each(specials)("%s (%s) adds %i to the fee", (date, name, surcharge, nowIso) => {
    const q = onDay(date, nowIso, 20_000);
    expect([q.specialDate, q.methodFee, q.surcharge, q.fee]).toEqual([name, 3490, surcharge, 3490 + surcharge]);
  });

  it.each(specials)("%s (%s) still charges %i when delivery is free", (date, name, surcharge, nowIso) => {
    const q = onDay(date, nowIso, 40_000);
    expect([q.specialDate, q.freeDelivery, q.methodFee, q.surcharge, q.fee]).toEqual([
      name,
      true,
      0,
      surcharge,
      surcharge,
    ]);
  });

  it("adds the surcharge after the method fee and the scheduled discount, which does not touch it", () => {
    const q = onDay("2026-12-25", "2026-12-01T10:00:00-03:00", 20_000, "SCHEDULED");
    expect([q.methodFee, q.scheduledDiscount, q.surcharge, q.fee]).toEqual([3490, 349, 5000, 8141]);
  });

  it("adds the surcharge to a same-day fee on the day itself", () => {
    const q = onDay("2026-12-24", "2026-12-24T08:00:00-03:00", 20_000, "SAME_DAY");
    expect([q.methodFee, q.surcharge, q.fee]).toEqual([4537, 3000, 7537]);
  });

  it("charges nothing extra on an ordinary day, two days after San Valentín", () => {
    const q = onDay("2026-02-16", "2026-02-10T10:00:00-03:00", 20_000);
    expect([q.specialDate, q.surcharge, q.fee]).toEqual([null, 0, 3490]);
  });
});
