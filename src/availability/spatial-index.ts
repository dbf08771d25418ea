import { type GeoPoint, haversineKmBetween } from '../scheduling/engine/travel.js';

/**
 * A grid over latitude and longitude that finds, for a search point, every member that could serve it: those with
 * a studio within the search's radius, and those whose travel area (a base and a radius: home visits) reaches the
 * point. It visits whole cells around a box that is never smaller than the circle, and measures each studio or area
 * found there by the exact distance search uses (search measures again, as it does without the index), so it returns
 * what a visit of every member would find, without search touching the members in the box's corners.
 *
 * Why the box is never too small: the haversine distance d between latitudes φ1 and φ2 at a longitude difference
 * Δλ satisfies d ≥ R·|Δφ| and d ≥ 2R·√(cos φ1·cos φ2)·|sin(Δλ/2)| (drop the first term under the root, and
 * asin x ≥ x). So within distance r, |Δφ| ≤ r/R and |sin(Δλ/2)| ≤ r / (2R·√(cos φ1·cos φ_far)), where φ_far is
 * the latitude of the band furthest from the equator. Bands that reach a pole, or radii whose bound reaches
 * half the globe, take every longitude. Cells are widened by one on every side, for rounding.
 */
export class SpatialIndex<T> {
  readonly #studios = new Map<number, Cell<T>>();
  readonly #areas = new Map<number, Cell<T>>();
  /** Areas too large for the grid: offered to every search. */
  readonly #wideAreas = new Set<string>();
  readonly #members = new Map<string, { member: T; area: Area | null; studioCells: number[]; areaCells: number[] }>();
  #studioCount = 0;

  /** Adds (or replaces) a member with its studios and its travel area. */
  set(key: string, member: T, studios: readonly GeoPoint[], area: Area | null): void {
    this.delete(key);
    const entry = { member, area, studioCells: [] as number[], areaCells: [] as number[] };
    for (const point of studios) {
      const cell = cellOf(point);
      cellAt(this.#studios, cell).add(member, point, 0);
      entry.studioCells.push(cell);
      this.#studioCount++;
    }
    if (area) {
      const cells = cellsAround(area.point, area.radiusKm, MAX_AREA_CELLS);
      if (cells === undefined) this.#wideAreas.add(key);
      else {
        for (const cell of cells) cellAt(this.#areas, cell).add(member, area.point, area.radiusKm);
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
      this.#studioCount -= list.remove(entry.member);
      if (list.members.length === 0) this.#studios.delete(cell);
    }
    for (const cell of entry.areaCells) {
      const list = this.#areas.get(cell)!;
      list.remove(entry.member);
      if (list.members.length === 0) this.#areas.delete(cell);
    }
  }

  /**
   * Members with a studio within `radiusKm` of `point` (haversineKm(point, studio) <= radiusKm, as search measures):
   * the cells around the circle are visited, and each studio in them is measured here, from coordinates the cell
   * keeps side by side, so search never touches the therapists of the box's corners.
   */
  withStudiosNear(point: GeoPoint, radiusKm: number): Iterable<T> {
    const found = new Set<T>();
    const cells = cellsAround(point, radiusKm, Math.max(64, this.#studioCount));
    if (cells === undefined) {
      for (const list of this.#studios.values()) list.addWithin(found, point, radiusKm);
    } else {
      for (const cell of cells) this.#studios.get(cell)?.addWithin(found, point, radiusKm);
    }
    return found;
  }

  /** Members whose travel area reaches `point` (haversineKm(base, point) <= radiusKm, as search measures). */
  withAreasReaching(point: GeoPoint): Iterable<T> {
    const found = new Set<T>();
    this.#areas.get(cellOf(point))?.addReaching(found, point);
    for (const key of this.#wideAreas) {
      const { member, area } = this.#members.get(key)!;
      if (area && reaches(area.point.lat, area.point.lng, area.radiusKm, point)) found.add(member);
    }
    return found;
  }
}

type Area = { point: GeoPoint; radiusKm: number };

/** A degree of latitude is at least this long: a cheap, never-wrong reject before the exact distance. */
const MIN_KM_PER_DEGREE_LAT = 110.5;

/** Whether the area (base and radius) reaches the point, measured as search measures it. */
function reaches(lat: number, lng: number, radiusKm: number, point: GeoPoint): boolean {
  if (Math.abs(lat - point.lat) * MIN_KM_PER_DEGREE_LAT > radiusKm) return false;
  return haversineKmBetween(lat, lng, point.lat, point.lng) <= radiusKm;
}

/**
 * One grid cell's studios or travel areas: the members, and their coordinates (and radii) in arrays of plain numbers
 * beside them, so a search measures a cell's entries from contiguous memory, not one object per entry.
 */
class Cell<T> {
  members: T[] = [];
  lat: number[] = [];
  lng: number[] = [];
  radiusKm: number[] = [];

  add(member: T, point: GeoPoint, radiusKm: number): void {
    this.members.push(member);
    this.lat.push(point.lat);
    this.lng.push(point.lng);
    this.radiusKm.push(radiusKm);
  }

  /** Drops the member's entries; returns how many there were. */
  remove(member: T): number {
    const before = this.members.length;
    let kept = 0;
    for (let i = 0; i < before; i++) {
      if (this.members[i] === member) continue;
      this.members[kept] = this.members[i]!;
      this.lat[kept] = this.lat[i]!;
      this.lng[kept] = this.lng[i]!;
      this.radiusKm[kept] = this.radiusKm[i]!;
      kept++;
    }
    this.members.length = kept;
    this.lat.length = kept;
    this.lng.length = kept;
    this.radiusKm.length = kept;
    return before - kept;
  }

  /** Adds the members with an entry (a studio) within radiusKm of the point: haversineKm(point, studio). */
  addWithin(found: Set<T>, point: GeoPoint, radiusKm: number): void {
    const { members, lat, lng } = this;
    for (let i = 0; i < members.length; i++) {
      if (Math.abs(point.lat - lat[i]!) * MIN_KM_PER_DEGREE_LAT > radiusKm) continue;
      if (haversineKmBetween(point.lat, point.lng, lat[i]!, lng[i]!) <= radiusKm) found.add(members[i]!);
    }
  }

  /** Adds the members whose entry (a travel area) reaches the point: haversineKm(base, point) <= its radius. */
  addReaching(found: Set<T>, point: GeoPoint): void {
    const { members, lat, lng, radiusKm } = this;
    for (let i = 0; i < members.length; i++) {
      if (reaches(lat[i]!, lng[i]!, radiusKm[i]!, point)) found.add(members[i]!);
    }
  }
}

function cellAt<T>(cells: Map<number, Cell<T>>, key: number): Cell<T> {
  let cell = cells.get(key);
  if (!cell) {
    cell = new Cell<T>();
    cells.set(key, cell);
  }
  return cell;
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
