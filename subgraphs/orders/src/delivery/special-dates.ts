/**
 * The days when demand peaks and the delivery fee carries a surcharge (DOMAIN.md). Fixed calendar days,
 * every year; Día de la Madre is kept on 10 May as the business fixes it, whatever the weekday.
 */
export interface SpecialDate {
  readonly month: number;
  readonly day: number;
  readonly name: string;
  /** CLP added to the delivery fee, even when free delivery waives the rest. */
  readonly surcharge: number;
}

export const SPECIAL_DATES: readonly SpecialDate[] = [
  { month: 2, day: 14, name: "San Valentín", surcharge: 5000 },
  { month: 5, day: 10, name: "Día de la Madre", surcharge: 3000 },
  { month: 12, day: 24, name: "Nochebuena", surcharge: 3000 },
  { month: 12, day: 25, name: "Navidad", surcharge: 5000 },
  { month: 12, day: 31, name: "Fin de Año", surcharge: 5000 },
];

export function specialDate(date: { month: number; day: number }): SpecialDate | null {
  return SPECIAL_DATES.find((s) => s.month === date.month && s.day === date.day) ?? null;
}

/** The one day the shop opens although it is a Sunday. */
export const isMothersDay = (date: { month: number; day: number }): boolean => date.month === 5 && date.day === 10;
