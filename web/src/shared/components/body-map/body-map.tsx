import { type KeyboardEvent, type SVGProps, useId, useRef, useState } from 'react';
import { BODY_REGIONS, type BodyView, REGION_REFS, parseRegionRef } from '../../../../../src/domain/body-regions';
import { SHAPES, SILHOUETTE, type Shape, mirror } from './body-map-shapes';
import './body-map.css';

export interface RegionRating {
  tightness: number;
  pain: number;
  note?: string;
}

/** Marked regions by reference ('hamstrings.left', 'abdomen'), each with its 0–10 ratings. */
export type BodyMapValue = Record<string, RegionRating>;

interface Target {
  ref: string;
  name: string;
  shape: Shape;
}

export function regionName(ref: string): string {
  const parsed = parseRegionRef(ref);
  if (!parsed) return ref;
  return parsed.side ? `${parsed.region.label}, ${parsed.side}` : parsed.region.label;
}

/** The tappable targets of one view, top to bottom, viewer's left before right: the order arrow keys follow. */
function targetsOf(view: BodyView): Target[] {
  const viewerLeftSide = view === 'front' ? 'right' : 'left';
  const viewerRightSide = view === 'front' ? 'left' : 'right';
  const targets: Target[] = [];
  for (const region of BODY_REGIONS) {
    if (region.view !== view) continue;
    const shape = SHAPES[view][region.id]!;
    if (!region.lateral) {
      targets.push({ ref: region.id, name: regionName(region.id), shape });
      continue;
    }
    const [left, right] = [`${region.id}.${viewerLeftSide}`, `${region.id}.${viewerRightSide}`];
    targets.push({ ref: left, name: regionName(left), shape });
    targets.push({ ref: right, name: regionName(right), shape: mirror(shape) });
  }
  const top = (s: Shape) => (s.kind === 'ellipse' ? s.cy - s.ry : s.y);
  const left = (s: Shape) => (s.kind === 'ellipse' ? s.cx : s.x);
  return targets.sort(
    (a, b) => Math.round(top(a.shape) / 12) - Math.round(top(b.shape) / 12) || left(a.shape) - left(b.shape),
  );
}

const TARGETS: Record<BodyView, Target[]> = { front: targetsOf('front'), back: targetsOf('back') };

function ShapeElement({
  shape,
  elementRef,
  ...rest
}: { shape: Shape; elementRef?: (el: SVGElement | null) => void } & Omit<SVGProps<SVGElement>, 'ref'>) {
  return shape.kind === 'ellipse' ? (
    <ellipse cx={shape.cx} cy={shape.cy} rx={shape.rx} ry={shape.ry} ref={elementRef} {...rest} />
  ) : (
    <rect x={shape.x} y={shape.y} width={shape.w} height={shape.h} rx={shape.r} ref={elementRef} {...rest} />
  );
}

const intensity = (rating: RegionRating) => {
  const level = Math.max(rating.tightness, rating.pain);
  return level >= 7 ? 'high' : level >= 4 ? 'mid' : 'low';
};

function Figure({
  view,
  value,
  onToggle,
}: {
  view: BodyView;
  value: BodyMapValue;
  onToggle?: ((ref: string) => void) | undefined;
}) {
  const targets = TARGETS[view];
  const [focusIndex, setFocusIndex] = useState(0);
  const refs = useRef<(SVGElement | null)[]>([]);
  const moveTo = (index: number) => {
    const next = (index + targets.length) % targets.length;
    setFocusIndex(next);
    refs.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent, index: number, ref: string) => {
    switch (event.key) {
      case 'Enter':
      case ' ':
        event.preventDefault();
        onToggle?.(ref);
        return;
      case 'ArrowRight':
      case 'ArrowDown':
        event.preventDefault();
        moveTo(index + 1);
        return;
      case 'ArrowLeft':
      case 'ArrowUp':
        event.preventDefault();
        moveTo(index - 1);
        return;
      case 'Home':
        event.preventDefault();
        moveTo(0);
        return;
      case 'End':
        event.preventDefault();
        moveTo(targets.length - 1);
    }
  };
  const title = view === 'front' ? 'Front of the body' : 'Back of the body';
  const marked = targets.filter((t) => value[t.ref]).map((t) => t.name);
  const label = onToggle
    ? `${title}. Arrow keys move between areas; Enter or Space marks one.`
    : `${title}: ${marked.length > 0 ? marked.join('; ') : 'nothing marked'}`;
  return (
    <figure className="body-figure" data-view={view}>
      <svg viewBox="0 0 200 440" role={onToggle ? 'group' : 'img'} aria-label={label}>
        <g className="silhouette" aria-hidden="true">
          {SILHOUETTE.map((shape, i) => (
            <ShapeElement key={i} shape={shape} />
          ))}
        </g>
        {targets.map((target, index) => {
          const rating = value[target.ref];
          if (!onToggle) {
            return (
              <ShapeElement
                key={target.ref}
                shape={target.shape}
                className={`region is-static${rating ? ` is-marked is-${intensity(rating)}` : ''}`}
                aria-hidden="true"
                data-ref={target.ref}
              />
            );
          }
          return (
            <ShapeElement
              key={target.ref}
              shape={target.shape}
              elementRef={(el) => {
                refs.current[index] = el;
              }}
              className={`region${rating ? ` is-marked is-${intensity(rating)}` : ''}`}
              role="button"
              aria-label={target.name}
              aria-pressed={rating !== undefined}
              data-ref={target.ref}
              tabIndex={index === focusIndex ? 0 : -1}
              onFocus={() => setFocusIndex(index)}
              onClick={() => onToggle(target.ref)}
              onKeyDown={(event: KeyboardEvent) => onKeyDown(event, index, target.ref)}
            />
          );
        })}
        <text x="8" y="432" className="side-label" aria-hidden="true">
          {view === 'front' ? 'Right' : 'Left'}
        </text>
        <text x="192" y="432" textAnchor="end" className="side-label" aria-hidden="true">
          {view === 'front' ? 'Left' : 'Right'}
        </text>
      </svg>
      <figcaption>{view === 'front' ? 'Front' : 'Back'}</figcaption>
    </figure>
  );
}

function Rating({
  label,
  regionLabel,
  value,
  onChange,
}: {
  label: string;
  regionLabel: string;
  value: number;
  onChange: (n: number) => void;
}) {
  const id = useId();
  return (
    <div className="rating">
      <label className="rating-label" htmlFor={id}>
        <span>{label}</span>
        <output htmlFor={id} aria-hidden="true">
          {value}
        </output>
      </label>
      <input
        id={id}
        type="range"
        min={0}
        max={10}
        step={1}
        value={value}
        aria-label={`${label}, ${regionLabel}`}
        aria-valuetext={`${value} out of 10`}
        onChange={(e) => onChange(Number(e.target.value))}
      />
    </div>
  );
}

function RegionNote({
  regionLabel,
  value,
  onChange,
}: {
  regionLabel: string;
  value: string;
  onChange: (note: string) => void;
}) {
  const id = useId();
  return (
    <div className="rating">
      <label htmlFor={id}>Note (optional)</label>
      <input
        id={id}
        value={value}
        maxLength={500}
        aria-label={`Note, ${regionLabel}`}
        placeholder="e.g. hurts when I sit"
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/**
 * The body map: tap (or focus and press Enter/Space) an area on the front or back to mark it, then rate its
 * tightness and pain from 0 to 10. Every area of src/domain/body-regions.ts is here, each side separately.
 */
export function BodyMap({
  value,
  onChange,
  withNotes = false,
}: {
  value: BodyMapValue;
  onChange: (value: BodyMapValue) => void;
  withNotes?: boolean;
}) {
  const [view, setView] = useState<BodyView>('front');
  const toggle = (ref: string) => {
    const next = { ...value };
    if (next[ref]) delete next[ref];
    else next[ref] = { tightness: 5, pain: 0 };
    onChange(next);
  };
  const rate = (ref: string, patch: Partial<RegionRating>) =>
    onChange({ ...value, [ref]: { ...value[ref]!, ...patch } });
  const marked = REGION_REFS.filter((ref) => value[ref]);

  return (
    <div className="body-map">
      <div className="segmented body-map-views" role="group" aria-label="Side of the body">
        {(['front', 'back'] as const).map((v) => (
          <button key={v} type="button" aria-pressed={view === v} onClick={() => setView(v)}>
            {v === 'front' ? 'Front' : 'Back'}
          </button>
        ))}
      </div>
      <div className="body-figures" data-active={view}>
        <Figure view="front" value={value} onToggle={toggle} />
        <Figure view="back" value={value} onToggle={toggle} />
      </div>
      <p className="visually-hidden" role="status">
        {marked.length === 0 ? 'No areas marked' : `${marked.length} ${marked.length === 1 ? 'area' : 'areas'} marked`}
      </p>
      <section className="body-ratings" aria-labelledby="body-ratings-heading">
        <h3 id="body-ratings-heading">
          {marked.length === 0 ? 'Tap where it is tight or hurts' : `Areas you marked (${marked.length})`}
        </h3>
        {marked.length > 0 && (
          <ul role="list">
            {marked.map((ref) => {
              const name = regionName(ref);
              return (
                <li key={ref} className="body-rating">
                  <div className="row-between">
                    <strong>{name}</strong>
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      onClick={() => toggle(ref)}
                      aria-label={`Remove ${name}`}
                    >
                      Remove
                    </button>
                  </div>
                  <Rating
                    label="Tightness"
                    regionLabel={name}
                    value={value[ref]!.tightness}
                    onChange={(n) => rate(ref, { tightness: n })}
                  />
                  <Rating
                    label="Pain"
                    regionLabel={name}
                    value={value[ref]!.pain}
                    onChange={(n) => rate(ref, { pain: n })}
                  />
                  {withNotes && (
                    <RegionNote
                      regionLabel={name}
                      value={value[ref]!.note ?? ''}
                      onChange={(note) => rate(ref, { note })}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </div>
  );
}

/** The body map to read: both figures with the marked areas coloured by how tight or painful they are. */
export function BodyMapView({ value }: { value: BodyMapValue }) {
  return (
    <div className="body-figures body-figures-static">
      <Figure view="front" value={value} />
      <Figure view="back" value={value} />
    </div>
  );
}
