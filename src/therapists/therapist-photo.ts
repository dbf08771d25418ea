import { ProblemError } from '../domain/problems.js';

/** The largest upload taken, before re-encoding. */
export const MAX_PHOTO_BYTES = 8 * 1024 * 1024;
/** The longest side a stored photo has. */
export const PHOTO_SIDE_PX = 800;
/** Pixels an upload may have at most: a small file that would decode into gigabytes is refused before decoding. */
const MAX_INPUT_PIXELS = 40_000_000;
const ACCEPTED_FORMATS: readonly string[] = ['jpeg', 'png', 'webp', 'avif', 'heif'];

/** sharp (libvips, tens of megabytes) is loaded on the first photo, not at start-up. */
const importSharp = () =>
  import('sharp').then(({ default: sharp }) => {
    // One photo at a time through libvips' own cache is all uploads need; keep no decoded images around.
    sharp.cache(false);
    return sharp;
  });
let loading: ReturnType<typeof importSharp> | undefined;
const loadSharp = () => (loading ??= importSharp());

const contentProblem = (code: ConstructorParameters<typeof ProblemError>[0], detail: string, fieldCode: string) =>
  new ProblemError(code, detail, {
    errors: [{ field: 'contentBase64', in: 'body', code: fieldCode, message: detail }],
  });

/**
 * A profile photo as it is kept and served: turned upright, at most `PHOTO_SIDE_PX` a side, WebP, with no metadata
 * (sharp writes none unless asked: EXIF with its GPS position, XMP and ICC are all dropped). The type is judged from
 * the content alone.
 */
export async function reencodePhoto(content: Buffer): Promise<{ webp: Buffer; width: number; height: number }> {
  if (content.length > MAX_PHOTO_BYTES)
    throw contentProblem(
      'payload_too_large',
      `The photo is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB`,
      'too_large',
    );
  const sharp = await loadSharp();
  let format: string | undefined;
  let pixels = 0;
  try {
    const metadata = await sharp(content).metadata();
    format = metadata.format;
    pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
  } catch {
    format = undefined;
  }
  if (!format || !ACCEPTED_FORMATS.includes(format) || pixels === 0)
    throw contentProblem(
      'unsupported_image_type',
      'The file is not a JPEG, PNG, WebP or AVIF photo',
      'unsupported_type',
    );
  if (pixels > MAX_INPUT_PIXELS)
    throw contentProblem('payload_too_large', 'The photo has more than 40 megapixels', 'too_large');
  try {
    const { data, info } = await sharp(content, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize(PHOTO_SIDE_PX, PHOTO_SIDE_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer({ resolveWithObject: true });
    return { webp: data, width: info.width, height: info.height };
  } catch {
    throw contentProblem('unsupported_image_type', 'The photo could not be read', 'unreadable');
  }
}

/** The thumbnail's side: 48 CSS px shown at up to 2× device pixels. */
export const THUMBNAIL_SIDE_PX = 96;

/**
 * The small square thumbnail search results show beside a name: the kept photo cropped to a square around its most
 * salient part and scaled to `THUMBNAIL_SIDE_PX`, a few kilobytes instead of the whole photo's tens.
 */
export async function photoThumbnail(webp: Buffer): Promise<Buffer> {
  const sharp = await loadSharp();
  return sharp(webp)
    .resize(THUMBNAIL_SIDE_PX, THUMBNAIL_SIDE_PX, { fit: 'cover', position: sharp.strategy.attention })
    .webp({ quality: 75 })
    .toBuffer();
}
