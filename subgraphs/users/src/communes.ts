/** The communes the shop delivers to (DOMAIN.md), in their canonical spelling. */
export const DELIVERED_COMMUNES = [
  "Recoleta",
  "Independencia",
  "Conchalí",
  "Huechuraba",
  "Quilicura",
  "Renca",
  "Cerro Navia",
  "Lo Prado",
  "Quinta Normal",
  "Vitacura",
  "Lo Barnechea",
  "Las Condes",
  "Santiago",
  "Providencia",
  "Ñuñoa",
] as const;

export type Commune = (typeof DELIVERED_COMMUNES)[number];

/** "  ÑUÑOA " → "nunoa": no accents, no case, single spaces. */
export const communeKey = (name: string) =>
  name.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase().trim().replace(/\s+/g, " ");

const byKey = new Map<string, Commune>(DELIVERED_COMMUNES.map((c) => [communeKey(c), c]));

/** The canonical spelling of a delivered commune, however it was typed; null when not delivered to. */
export const canonicalCommune = (input: string): Commune | null => byKey.get(communeKey(input)) ?? null;
