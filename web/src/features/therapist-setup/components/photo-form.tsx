import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import type { TherapistProfile } from '../../../shared/lib/api-types';
import { Link } from '../../../shared/lib/router';
import { useRemovePhoto, useUploadPhoto } from '../api/profile';

/** The file's bytes as standard base64 (what a data: URL carries after its comma). */
function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = typeof reader.result === 'string' ? reader.result : '';
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read'));
    reader.readAsDataURL(file);
  });
}

/** The profile photo: chosen from the device, uploaded at once, shown as clients will see it. */
export function PhotoForm({ profile }: { profile: TherapistProfile }) {
  const upload = useUploadPhoto();
  const remove = useRemovePhoto();
  const [readError, setReadError] = useState<unknown>(null);
  return (
    <section className="card form" aria-labelledby="photo-heading">
      <h2 id="photo-heading">Photo</h2>
      <div className="profile-header">
        {profile.photo ? (
          <img
            className="portrait"
            src={profile.photo.url}
            width={profile.photo.width}
            height={profile.photo.height}
            alt="Your profile photo"
          />
        ) : (
          <div className="avatar avatar-large" aria-hidden="true">
            {profile.displayName.slice(0, 1)}
          </div>
        )}
        <Field
          label={profile.photo ? 'Replace your photo' : 'Add a photo'}
          hint="A JPEG, PNG, WebP or AVIF of up to 8 MB. We keep a smaller copy without its location or camera details."
          error={fieldError(upload.error, 'contentBase64')}
        >
          {(control) => (
            <input
              {...control}
              type="file"
              accept="image/jpeg,image/png,image/webp,image/avif"
              disabled={upload.isPending}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = '';
                if (!file) return;
                setReadError(null);
                base64Of(file).then((content) => upload.mutate(content), setReadError);
              }}
            />
          )}
        </Field>
      </div>
      {upload.isPending && <p role="status">Uploading…</p>}
      {upload.isSuccess && (
        <p className="notice notice-success" role="status">
          Photo saved.
        </p>
      )}
      <ErrorNotice error={upload.error ?? readError ?? remove.error} shownFields={['contentBase64']} />
      <div className="actions">
        {profile.photo && (
          <button
            type="button"
            className="btn btn-danger-outline"
            disabled={remove.isPending}
            onClick={() => remove.mutate()}
          >
            Remove photo
          </button>
        )}
        <Link className="btn btn-link" to={`/therapists/${profile.id}`}>
          See your public profile
        </Link>
      </div>
    </section>
  );
}
