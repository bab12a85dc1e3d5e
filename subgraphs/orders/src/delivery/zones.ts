/**
 * The delivery zones exactly as DOMAIN.md lists them. The table is data so that the API can list the
 * communes, and checkout prices the fee from the same rows the storefront shows.
 */
export const DELIVERY_ZONE_IDS = [
  "CENTRO_NORTE",
  "NORTE_INTERMEDIA",
  "NORTE_EXTENDIDA",
  "ORIENTE_NORTE",
  "SANTIAGO_CENTRO",
] as const;

export type DeliveryZoneId = (typeof DELIVERY_ZONE_IDS)[number];

export interface DeliveryZone {
  readonly id: DeliveryZoneId;
  readonly name: string;
  readonly premium: boolean;
  /** Canonical commune names, spelled as the customer expects to read them. */
  readonly communes: readonly string[];
  /** CLP, before any method multiplier. */
  readonly baseFee: number;
  /** Merchandise subtotal (CLP) from which the delivery fee is waived. */
  readonly freeFrom: number;
  readonly usualMinutes: { readonly min: number; readonly max: number };
}

export const DELIVERY_ZONES: readonly DeliveryZone[] = [
  {
    id: "CENTRO_NORTE",
    name: "Centro Norte",
    premium: false,
    communes: ["Recoleta", "Independencia", "Conchalí"],
    baseFee: 2990,
    freeFrom: 35_000,
    usualMinutes: { min: 30, max: 60 },
  },
  {
    id: "NORTE_INTERMEDIA",
    name: "Norte Intermedia",
    premium: false,
    communes: ["Huechuraba", "Quilicura", "Renca"],
    baseFee: 3990,
    freeFrom: 45_000,
    usualMinutes: { min: 45, max: 90 },
  },
  {
    id: "NORTE_EXTENDIDA",
    name: "Norte Extendida",
    premium: false,
    communes: ["Cerro Navia", "Lo Prado", "Quinta Normal"],
    baseFee: 4990,
    freeFrom: 55_000,
    usualMinutes: { min: 60, max: 120 },
  },
  {
    id: "ORIENTE_NORTE",
    name: "Oriente Norte",
    premium: true,
    communes: ["Vitacura", "Lo Barnechea", "Las Condes"],
    baseFee: 4990,
    freeFrom: 50_000,
    usualMinutes: { min: 45, max: 90 },
  },
  {
    id: "SANTIAGO_CENTRO",
    name: "Santiago Centro",
    premium: false,
    communes: ["Santiago", "Providencia", "Ñuñoa"],
    baseFee: 3490,
    freeFrom: 40_000,
    usualMinutes: { min: 45, max: 90 },
  },
];

export interface DeliveryCommune {
  readonly name: string;
  readonly zone: DeliveryZone;
}

/**
 * Customers type "nunoa", "ÑUÑOA" or " Ñuñoa ": compare without accents (ñ included), case or extra
 * spaces, the way the catalogue search already treats Spanish text.
 */
export function communeKey(raw: string): string {
  return raw
    .normalize("NFD")
    .replace(/\p{Mn}/gu, "")
    .toLowerCase()
    .trim()
    .replace(/\s+/g, " ");
}

/** Every commune served, in Spanish alphabetical order, for the API's list. */
export const DELIVERY_COMMUNES: readonly DeliveryCommune[] = DELIVERY_ZONES.flatMap((zone) =>
  zone.communes.map((name) => ({ name, zone })),
).sort((a, b) => a.name.localeCompare(b.name, "es"));

const byKey = new Map(DELIVERY_COMMUNES.map((c) => [communeKey(c.name), c]));

/** The commune (canonical name and zone), or null when the shop does not deliver there. */
export function findCommune(raw: string): DeliveryCommune | null {
  return byKey.get(communeKey(raw)) ?? null;
}

export function findZone(raw: string): DeliveryZone | null {
  return findCommune(raw)?.zone ?? null;
}
