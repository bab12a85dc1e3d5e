import { describe, expect, it } from "vitest";
import { DELIVERY_COMMUNES, DELIVERY_ZONES, findCommune, findZone } from "../src/delivery/index.js";

// DOMAIN.md's delivery table, one row per commune: zone, base fee, free-from threshold, usual minutes.
const table: [commune: string, zone: string, baseFee: number, freeFrom: number, min: number, max: number][] = [
  ["Recoleta", "CENTRO_NORTE", 2990, 35_000, 30, 60],
  ["Independencia", "CENTRO_NORTE", 2990, 35_000, 30, 60],
  ["Conchalí", "CENTRO_NORTE", 2990, 35_000, 30, 60],
  ["Huechuraba", "NORTE_INTERMEDIA", 3990, 45_000, 45, 90],
  ["Quilicura", "NORTE_INTERMEDIA", 3990, 45_000, 45, 90],
  ["Renca", "NORTE_INTERMEDIA", 3990, 45_000, 45, 90],
  ["Cerro Navia", "NORTE_EXTENDIDA", 4990, 55_000, 60, 120],
  ["Lo Prado", "NORTE_EXTENDIDA", 4990, 55_000, 60, 120],
  ["Quinta Normal", "NORTE_EXTENDIDA", 4990, 55_000, 60, 120],
  ["Vitacura", "ORIENTE_NORTE", 4990, 50_000, 45, 90],
  ["Lo Barnechea", "ORIENTE_NORTE", 4990, 50_000, 45, 90],
  ["Las Condes", "ORIENTE_NORTE", 4990, 50_000, 45, 90],
  ["Santiago", "SANTIAGO_CENTRO", 3490, 40_000, 45, 90],
  ["Providencia", "SANTIAGO_CENTRO", 3490, 40_000, 45, 90],
  ["Ñuñoa", "SANTIAGO_CENTRO", 3490, 40_000, 45, 90],
];

describe("delivery zones", () => {
  it.each(table)("%s is in %s: fee %i, free from %i, %i–%i min", (commune, zone, baseFee, freeFrom, min, max) => {
    const found = findZone(commune);
    expect(found?.id).toBe(zone);
    expect(found?.baseFee).toBe(baseFee);
    expect(found?.freeFrom).toBe(freeFrom);
    expect(found?.usualMinutes).toEqual({ min, max });
  });

  it("has the five zones of the table and no commune twice", () => {
    expect(DELIVERY_ZONES.map((z) => z.name)).toEqual([
      "Centro Norte",
      "Norte Intermedia",
      "Norte Extendida",
      "Oriente Norte",
      "Santiago Centro",
    ]);
    expect(DELIVERY_ZONES.filter((z) => z.premium).map((z) => z.id)).toEqual(["ORIENTE_NORTE"]);
    expect(DELIVERY_COMMUNES).toHaveLength(table.length);
    expect(new Set(DELIVERY_COMMUNES.map((c) => c.name))).toEqual(new Set(table.map(([c]) => c)));
  });

  it("lists the communes by canonical name in Spanish alphabetical order", () => {
    expect(DELIVERY_COMMUNES.map((c) => c.name)).toEqual([
      "Cerro Navia",
      "Conchalí",
      "Huechuraba",
      "Independencia",
      "Las Condes",
      "Lo Barnechea",
      "Lo Prado",
      "Ñuñoa",
      "Providencia",
      "Quilicura",
      "Quinta Normal",
      "Recoleta",
      "Renca",
      "Santiago",
      "Vitacura",
    ]);
  });

  it.each([
    ["nunoa", "Ñuñoa"],
    ["ÑUÑOA", "Ñuñoa"],
    [" Ñuñoa ", "Ñuñoa"],
    ["NUNOA", "Ñuñoa"],
    ["conchali", "Conchalí"],
    ["CONCHALÍ", "Conchalí"],
    ["las  condes", "Las Condes"],
    ["\tlo barnechea\n", "Lo Barnechea"],
    // Decomposed input (n + combining tilde) as some keyboards and browsers send it.
    ["N\u0303un\u0303oa", "Ñuñoa"],
  ])("matches %j to %s regardless of accents, case and spaces", (typed, canonical) => {
    expect(findCommune(typed)?.name).toBe(canonical);
  });

  it.each(["Maipú", "Puente Alto", "", "   ", "Santiago Centro", "Ñuñoa Norte", "LasCondes"])(
    "does not deliver to %j",
    (commune) => {
      expect(findCommune(commune)).toBeNull();
      expect(findZone(commune)).toBeNull();
    },
  );
});
