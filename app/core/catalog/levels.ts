/**
 * Online service levels (Decree 43/2011/NĐ-CP, art. 3): each level includes the
 * ones below it. What a citizen can do on a procedure's page follows from here.
 */
export const LEVELS = [1, 2, 3, 4] as const;
export type Level = (typeof LEVELS)[number];

export function levelAllows(level: number) {
  return {
    information: level >= 1,
    templates: level >= 2,
    applyOnline: level >= 3,
    payOnline: level >= 4,
    resultOnline: level >= 4,
  };
}

export function isLevel(value: number): value is Level {
  return value === 1 || value === 2 || value === 3 || value === 4;
}
