import { describe, expect, it } from "vitest";
import { DELIVERED_COMMUNES, canonicalCommune, communeKey } from "../src/communes.js";

describe("delivered communes", () => {
  it("are the 15 communes of the five delivery zones", () => {
    expect(DELIVERED_COMMUNES).toHaveLength(15);
    expect(new Set(DELIVERED_COMMUNES.map(communeKey)).size).toBe(15);
  });

  it("match their own canonical spelling", () => {
    for (const commune of DELIVERED_COMMUNES) expect(canonicalCommune(commune)).toBe(commune);
  });

  it("match without accents, whatever the case and spacing", () => {
    expect(canonicalCommune("nunoa")).toBe("Ñuñoa");
    expect(canonicalCommune("ÑUÑOA")).toBe("Ñuñoa");
    expect(canonicalCommune("  conchali ")).toBe("Conchalí");
    expect(canonicalCommune("lo   barnechea")).toBe("Lo Barnechea");
    expect(canonicalCommune("LAS CONDES")).toBe("Las Condes");
  });

  it("match decomposed accents as typed on some keyboards", () => {
    expect(canonicalCommune("N\u0303un\u0303oa")).toBe("Ñuñoa");
    expect(canonicalCommune("Conchali\u0301")).toBe("Conchalí");
  });

  it("refuse communes the shop does not deliver to, and near misses", () => {
    for (const other of ["Maipú", "Puente Alto", "La Florida", "", "Lo", "Santiago Centro", "Providencia 2"])
      expect(canonicalCommune(other), other).toBeNull();
  });
});
