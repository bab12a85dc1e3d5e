import { TZDate, tz } from "@date-fns/tz";
import { addDays, differenceInCalendarDays, format } from "date-fns";

/**
 * The shop's calendar. Delivery dates are local calendar days in Santiago, and slot hours are local
 * wall-clock hours; turning them into instants is left to the time-zone database (@date-fns/tz), so
 * Chile's April and September clock changes and the UTC/Santiago date mismatch late in the evening
 * come out right without any offset arithmetic here.
 */
export const SHOP_TIME_ZONE = "America/Santiago";

const inShop = tz(SHOP_TIME_ZONE);

/** A calendar day in the shop's time zone; `month` is 1–12. */
export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` → a real calendar day, or null (wrong shape, 2026-02-30, 2026-13-01…). */
export function parseLocalDate(value: string): LocalDate | null {
  const match = DATE_SHAPE.exec(value);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Build the day and read it back: the Date constructor rolls 30 February over to March, and
  // maps years 0–99 onto 1900–1999, so any day that does not survive the round trip is not real.
  const probe = new TZDate(year, month - 1, day, SHOP_TIME_ZONE);
  if (probe.getFullYear() !== year || probe.getMonth() !== month - 1 || probe.getDate() !== day) return null;
  return { year, month, day };
}

export function formatLocalDate({ year, month, day }: LocalDate): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The instant at which the shop's wall clock shows `hour`:00 on `date`. */
export function shopInstant(date: LocalDate, hour: number): Date {
  return new Date(new TZDate(date.year, date.month - 1, date.day, hour, 0, 0, SHOP_TIME_ZONE).getTime());
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: LocalDate): number {
  return new TZDate(date.year, date.month - 1, date.day, SHOP_TIME_ZONE).getDay();
}

/** The shop's calendar day at `now` (at 23:30 in Santiago it is still that day, though UTC has moved on). */
export function shopToday(now: Date): LocalDate {
  const today = parseLocalDate(format(now, "yyyy-MM-dd", { in: inShop }));
  if (today === null) throw new RangeError(`not a valid instant: ${String(now)}`);
  return today;
}

/** Whole calendar days from the shop's today to `date`: 0 today, 1 tomorrow, negative in the past. */
export function daysFromToday(date: LocalDate, now: Date): number {
  return differenceInCalendarDays(new TZDate(date.year, date.month - 1, date.day, SHOP_TIME_ZONE), now, {
    in: inShop,
  });
}

/** The calendar day `days` after `date` (calendar days: a 23- or 25-hour day still counts as one). */
export function addShopDays(date: LocalDate, days: number): LocalDate {
  const later = addDays(new TZDate(date.year, date.month - 1, date.day, SHOP_TIME_ZONE), days);
  return { year: later.getFullYear(), month: later.getMonth() + 1, day: later.getDate() };
}

export function assertValidNow(now: Date): void {
  // `now` comes from the server's clock, never from a customer: a bad one is a bug, not a user error.
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError("now must be a valid Date");
}

/** `HH:mm` on the shop's wall clock, for messages. */
export const formatShopTime = (instant: Date): string => format(instant, "HH:mm", { in: inShop });
