import { TZDate } from "@date-fns/tz";
import { addDays, format } from "date-fns";
import { specialDate } from "../src/delivery/index.js";

/**
 * A delivery day `daysAhead` or more from today in the shop's calendar that is an ordinary working day
 * (Monday to Friday, not a special date), so that every slot of it can be booked.
 */
export function workingDay(daysAhead = 3): string {
  let day = addDays(TZDate.tz("America/Santiago"), daysAhead);
  for (;;) {
    const text = format(day, "yyyy-MM-dd");
    if (day.getDay() !== 0 && day.getDay() !== 6 && !specialDate({ month: day.getMonth() + 1, day: day.getDate() }))
      return text;
    day = addDays(day, 1);
  }
}
