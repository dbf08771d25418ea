/** The pressure scale used across Knotwork: notes, screening caps and live feedback all speak in these levels. */

export type PressureLevel = 1 | 2 | 3 | 4 | 5;

export const PRESSURE_LEVELS = [
  { level: 1, label: 'Light' },
  { level: 2, label: 'Medium' },
  { level: 3, label: 'Firm' },
  { level: 4, label: 'Deep' },
  { level: 5, label: 'Very deep' },
] as const satisfies readonly { level: PressureLevel; label: string }[];

export function pressureLabel(level: PressureLevel): string {
  return PRESSURE_LEVELS[level - 1]!.label;
}
