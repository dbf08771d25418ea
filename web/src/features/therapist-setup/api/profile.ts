import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../shared/lib/api-client';
import { OWN_PROFILE_KEY } from '../../../shared/lib/own-profile';
import type { ProfileInput, StudioInput, TherapistProfile } from '../../../shared/lib/api-types';

function useProfileMutation<T>(request: (input: T) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: request,
    onSuccess: () => client.invalidateQueries({ queryKey: OWN_PROFILE_KEY }),
  });
}

export const useSaveProfile = () =>
  useProfileMutation((input: ProfileInput) => api.put<TherapistProfile>('/api/therapists/me', input));
export const useSaveServices = () =>
  useProfileMutation((services: TherapistProfile['services']) =>
    api.put<TherapistProfile>('/api/therapists/me/services', { services }),
  );
export const useAddStudio = () =>
  useProfileMutation((studio: StudioInput) => api.post('/api/therapists/me/studios', studio));
export const useArchiveStudio = () =>
  useProfileMutation((id: string) => api.delete(`/api/therapists/me/studios/${id}`));
/** The photo goes as base64 in JSON, as clearance documents do; the server re-encodes it. */
export const useUploadPhoto = () =>
  useProfileMutation((contentBase64: string) =>
    api.put<TherapistProfile>('/api/therapists/me/photo', { contentBase64 }),
  );
export const useRemovePhoto = () => useProfileMutation(() => api.delete('/api/therapists/me/photo'));
