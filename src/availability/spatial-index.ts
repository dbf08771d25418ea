import type { GeoPoint } from '../scheduling/engine/travel.js';

/**
 * A grid over latitude and longitude that finds, for a search point, every member that could serve it: those with
 * a studio within the search's radius, and those whose travel area (a base and a radius: home visits) reaches the
 * point. It answers a superset (whole cells around a box that is never smaller than the circle); search still
 * measures the exact distance of each member it returns, so what it finds is what a visit of every member would find.
 *
 * Why the box is never too small: the haversine distance d between latitudes φ1 and φ2 at a longitude difference
 * Δλ satisfies d ≥ R·|Δφ| and d ≥ 2R·√(cos φ1·cos φ2)·|sin(Δλ/2)| (drop the first term under the root, and
 * asin x ≥ x). So within distance r, |Δφ| ≤ r/R and |sin(Δλ/2)| ≤ r / (2R·√(cos φ1·cos φ_far)), where φ_far is
 * the latitude of the band furthest from the equator. Bands that reach a pole, or radii whose bound reaches
 * half the globe, take every longitude. Cells are widened by one on every side, for rounding.
 */
export class SpatialIndex<T> {
  readonly #studios = new Map<number, { member: T; point: GeoPoint }[]>();
  readonly #areas = new Map<number, T[]>();
  /** Areas too large for the grid: offered to every search. */
  readonly #wideAreas = new Set<string>();
  readonly #members = new Map<string, { member: T; studioCells: number[]; areaCells: number[] }>();
  #studioCount = 0;

  /** Adds (or replaces) a member with its studios and its travel area. */
  set(key: string, member: T, studios: readonly GeoPoint[], area: { point: GeoPoint; radiusKm: number } | null): void {
    this.delete(key);
    const entry = { member, studioCells: [] as number[], areaCells: [] as number[] };
    for (const point of studios) {
      const cell = cellOf(point);
      push(this.#studios, cell, { member, point });
      entry.studioCells.push(cell);
      this.#studioCount++;
    }
    if (area) {
      const cells = cellsAround(area.point, area.radiusKm, MAX_AREA_CELLS);
      if (cells === undefined) this.#wideAreas.add(key);
      else {
        for (const cell of cells) push(this.#areas, cell, member);
        entry.areaCells = cells;
      }
    }
    this.#members.set(key, entry);
  }

  delete(key: string): void {
    const entry = this.#members.get(key);
    if (!entry) return;
    this.#members.delete(key);
    this.#wideAreas.delete(key);
    for (const cell of new Set(entry.studioCells)) {
      const list = this.#studios.get(cell)!;
      const kept = list.filter((s) => s.member !== entry.member);
      this.#studioCount -= list.length - kept.length;
      if (kept.length > 0) this.#studios.set(cell, kept);
      else this.#studios.delete(cell);
    }
    for (const cell of entry.areaCells) {
      const kept = this.#areas.get(cell)!.filter((m) => m !== entry.member);
      if (kept.length > 0) this.#areas.set(cell, kept);
      else this.#areas.delete(cell);
    }
  }

  /** Members with a studio that may lie within `radiusKm` of `point`; every one that does is among them. */
  withStudiosNear(point: GeoPoint, radiusKm: number): Iterable<T> {
    const cells = cellsAround(point, radiusKm, Math.max(64, this.#studioCount));
    if (cells === undefined) return new Set([...this.#studios.values()].flat().map((s) => s.member));
    const found = new Set<T>();
    for (const cell of cells) {
      const list = this.#studios.get(cell);
      if (list) for (const studio of list) found.add(studio.member);
    }
    return found;
  }

  /** Members whose travel area may reach `point`; every one whose area does is among them. */
  withAreasReaching(point: GeoPoint): Iterable<T> {
    const found = new Set(this.#areas.get(cellOf(point)));
    for (const key of this.#wideAreas) found.add(this.#members.get(key)!.member);
    return found;
  }
}

/** Cells of 0.02° (about 2.2 km north-south): a 5 km search visits about 40, each holding a few dozen studios. */
const CELL_DEGREES = 0.02;
const COLUMNS = Math.round(360 / CELL_DEGREES);
/** An area needing more cells than this (a radius beyond about 25 km at mid latitudes) is kept in the wide list. */
const MAX_AREA_CELLS = 1_600;
const EARTH_RADIUS_KM = 6371.0088;
/** Radii are widened by this factor, and bands stop short of the poles by this many degrees, against rounding. */
const RADIUS_MARGIN = 1.001;
const POLE_MARGIN_DEGREES = 0.5;

const toRadians = (degrees: number) => (degrees * Math.PI) / 180;
const column = (lng: number) => ((Math.floor(lng / CELL_DEGREES) % COLUMNS) + COLUMNS) % COLUMNS;
const cellKey = (row: number, col: number) => row * COLUMNS + col;
const cellOf = (point: GeoPoint) => cellKey(Math.floor(point.lat / CELL_DEGREES), column(point.lng));

/**
 * Every cell a point within `radiusKm` of `centre` can fall in, or undefined when that is more than `limit` cells
 * (the caller then treats the whole globe as near).
 */
function cellsAround(centre: GeoPoint, radiusKm: number, limit: number): number[] | undefined {
  const r = Math.max(0, radiusKm) * RADIUS_MARGIN;
  const dLatDegrees = (r / EARTH_RADIUS_KM) * (180 / Math.PI);
  const south = centre.lat - dLatDegrees;
  const north = centre.lat + dLatDegrees;
  const firstRow = Math.floor(south / CELL_DEGREES) - 1;
  const lastRow = Math.floor(north / CELL_DEGREES) + 1;
  let firstCol: number;
  let lastCol: number;
  const farthest = Math.max(Math.abs(south), Math.abs(north));
  const bound =
    farthest >= 90 - POLE_MARGIN_DEGREES
      ? Infinity
      : r / (2 * EARTH_RADIUS_KM * Math.sqrt(Math.cos(toRadians(centre.lat)) * Math.cos(toRadians(farthest))));
  if (bound >= 0.99) {
    firstCol = 0;
    lastCol = COLUMNS - 1;
  } else {
    const dLngDegrees = 2 * Math.asin(bound) * (180 / Math.PI) * RADIUS_MARGIN;
    firstCol = Math.floor((centre.lng - dLngDegrees) / CELL_DEGREES) - 1;
    lastCol = Math.floor((centre.lng + dLngDegrees) / CELL_DEGREES) + 1;
    if (lastCol - firstCol + 1 >= COLUMNS) {
      firstCol = 0;
      lastCol = COLUMNS - 1;
    }
  }
  const rows = lastRow - firstRow + 1;
  const cols = lastCol - firstCol + 1;
  if (rows * cols > limit) return undefined;
  const cells: number[] = [];
  for (let row = firstRow; row <= lastRow; row++) {
    for (let col = firstCol; col <= lastCol; col++) cells.push(cellKey(row, ((col % COLUMNS) + COLUMNS) % COLUMNS));
  }
  return cells;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
