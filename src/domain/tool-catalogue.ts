import type { RegionId } from './body-regions.js';

/** What the therapist applies pressure with (clinical reference, section 2) [JOHN-STR, JOHN-DT]. */

export type ToolId = 'thumb' | 'fingers' | 'knuckles' | 'fist' | 'forearm' | 'elbow';

export interface Tool {
  id: ToolId;
  name: string;
  guidance: string;
  /** Regions the tool is particularly suited to, where the reference names them. */
  suitedTo: readonly RegionId[];
  sources: readonly string[];
}

const SOURCES = ['JOHN-STR', 'JOHN-DT'] as const;

export const TOOLS = [
  {
    id: 'thumb',
    name: 'Thumb',
    guidance: 'Small, precise areas; gliding strokes such as stripping.',
    suitedTo: [],
    sources: SOURCES,
  },
  {
    id: 'fingers',
    name: 'Fingers',
    guidance: 'Small areas, and cross-fibre friction.',
    suitedTo: [],
    sources: SOURCES,
  },
  { id: 'knuckles', name: 'Knuckles', guidance: 'Gliding strokes such as stripping.', suitedTo: [], sources: SOURCES },
  { id: 'fist', name: 'Fist', guidance: 'Static compression.', suitedTo: [], sources: SOURCES },
  {
    id: 'forearm',
    name: 'Forearm',
    guidance: 'Large muscles: quadriceps, calves, glutes.',
    suitedTo: ['quadriceps', 'calves', 'glutes'],
    sources: SOURCES,
  },
  { id: 'elbow', name: 'Elbow', guidance: 'Localised depth.', suitedTo: [], sources: SOURCES },
] as const satisfies readonly Tool[];

export const TOOL_IDS = TOOLS.map((t) => t.id) as [ToolId, ...ToolId[]];

export function tool(id: ToolId): Tool {
  return TOOLS.find((t) => t.id === id)!;
}
