const DAY_MS = 24 * 60 * 60 * 1000;

export const addMilliseconds = (date: Date, ms: number) => new Date(date.getTime() + ms);
export const addDays = (date: Date, days: number) => addMilliseconds(date, days * DAY_MS);
