import { initialsOf } from '../lib/initials';

/**
 * The therapist's face beside their name: the server's 96 px square thumbnail shown at 44 CSS px (sharp on a
 * phone's 2× screen, a few kilobytes), loaded lazily at a fixed size so nothing moves when it arrives; their
 * initials when they have no photo. Both are decoration: the name is the heading beside them, so the photo's alt
 * text is empty (a screen reader would read the name twice) as the initials are hidden.
 */
export function TherapistThumbnail({ name, photoUrl }: { name: string; photoUrl: string | null }) {
  if (!photoUrl)
    return (
      <div className="avatar" aria-hidden="true">
        {initialsOf(name)}
      </div>
    );
  return <img className="avatar-photo" src={photoUrl} alt="" width={44} height={44} loading="lazy" decoding="async" />;
}
