import type { BodyView } from '../../../../../src/domain/body-regions';

/** Drawing primitives on a 200 × 440 figure, centred on x = 100. */
export type Shape =
  | { kind: 'ellipse'; cx: number; cy: number; rx: number; ry: number }
  | { kind: 'rect'; x: number; y: number; w: number; h: number; r?: number };

const ellipse = (cx: number, cy: number, rx: number, ry: number): Shape => ({ kind: 'ellipse', cx, cy, rx, ry });
const rect = (x: number, y: number, w: number, h: number, r = 6): Shape => ({ kind: 'rect', x, y, w, h, r });

export const mirror = (shape: Shape): Shape =>
  shape.kind === 'ellipse' ? { ...shape, cx: 200 - shape.cx } : { ...shape, x: 200 - shape.x - shape.w };

/**
 * Where each region sits. Lateral regions are drawn on the viewer's left and mirrored for the other side.
 * Facing the viewer (front), the person's right side is on the viewer's left; from behind it is their left.
 */
export const SHAPES: Record<BodyView, Record<string, Shape>> = {
  front: {
    head: ellipse(100, 34, 21, 26),
    front_of_neck: rect(92, 62, 16, 20, 4),
    sternocleidomastoid: rect(79, 62, 12, 22, 4),
    shoulder_front: ellipse(60, 96, 15, 12),
    chest: rect(73, 88, 26, 34, 8),
    armpit: ellipse(66, 126, 8, 10),
    upper_arm: rect(40, 110, 17, 50, 8),
    forearm: rect(32, 164, 16, 40, 7),
    // The wrist reaches up the lower forearm (the end of the radius).
    wrist: rect(31, 206, 16, 18, 6),
    hand: ellipse(38, 239, 10, 13),
    abdomen: rect(77, 126, 46, 58, 10),
    hip_flexors: rect(72, 188, 24, 20, 7),
    groin: ellipse(91, 216, 8, 9),
    it_band: rect(60, 216, 10, 78, 5),
    quadriceps: rect(71, 226, 24, 62, 10),
    knee_front: ellipse(83, 299, 11, 10),
    shin: rect(74, 312, 18, 76, 7),
    feet: ellipse(81, 404, 14, 12),
  },
  back: {
    neck: rect(86, 62, 9, 22, 4),
    // The spine runs down the midline, between the left and right regions of the back.
    spine_cervical: rect(95, 60, 10, 26, 3),
    upper_back: rect(60, 86, 35, 14, 6),
    spine_thoracic: rect(95, 88, 10, 72, 3),
    shoulder_blade: rect(63, 103, 22, 32, 8),
    mid_back: rect(86, 103, 9, 40, 4),
    kidney_area: rect(74, 146, 21, 14, 5),
    spine_lumbar: rect(95, 162, 10, 28, 3),
    low_back: rect(74, 163, 21, 26, 7),
    spine_sacral: rect(95, 192, 10, 22, 4),
    glutes: ellipse(80, 209, 15, 18),
    hamstrings: rect(70, 230, 26, 62, 10),
    back_of_knee: ellipse(83, 302, 11, 8),
    calves: rect(73, 314, 20, 72, 9),
  },
};

/** The outline the regions sit on. */
export const SILHOUETTE: Shape[] = [
  ellipse(100, 34, 24, 29),
  rect(86, 58, 28, 30, 8),
  rect(56, 84, 88, 110, 26),
  rect(62, 180, 76, 46, 18),
  rect(36, 96, 24, 70, 12),
  rect(140, 96, 24, 70, 12),
  rect(28, 158, 22, 66, 10),
  rect(150, 158, 22, 66, 10),
  ellipse(38, 236, 13, 17),
  ellipse(162, 236, 13, 17),
  rect(64, 210, 34, 190, 14),
  rect(102, 210, 34, 190, 14),
  ellipse(81, 404, 17, 14),
  ellipse(119, 404, 17, 14),
];
