/** LINE's statistics speak of days in UTC+9 (`yyyyMMdd`), whatever the caller's time zone. */
const JST_OFFSET_MS = 9 * 60 * 60_000;

export function jstDay(epochMs: number): string {
  return new Date(epochMs + JST_OFFSET_MS).toISOString().slice(0, 10).replaceAll("-", "");
}

/** `yyyyMMdd` of the first day of the UTC+9 month an instant falls in. */
export function jstMonthStart(epochMs: number): string {
  return `${jstDay(epochMs).slice(0, 6)}01`;
}

/** True for a real calendar day written `yyyyMMdd`. */
export function isDay(value: string): boolean {
  if (!/^\d{8}$/.test(value)) return false;
  const date = new Date(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}T00:00:00Z`);
  return (
    !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10).replaceAll("-", "") === value
  );
}
