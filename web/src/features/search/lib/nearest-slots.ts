/** The `count` open times closest to `around`, before or after it (the earlier on a tie), in time order. */
export function nearestSlots(slots: string[], around: string, count: number): string[] {
  const target = Date.parse(around);
  const distance = (slot: string) => Math.abs(Date.parse(slot) - target);
  const byTime = (a: string, b: string) => Date.parse(a) - Date.parse(b);
  return [...slots]
    .sort((a, b) => distance(a) - distance(b) || byTime(a, b))
    .slice(0, count)
    .sort(byTime);
}
