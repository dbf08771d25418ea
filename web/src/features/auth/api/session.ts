import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../../../shared/lib/api-client';
import type { User } from '../../../shared/lib/api-types';

const ME = ['me'] as const;

/** A new person at the keyboard: forget everything cached for the last one, then know who this is. */
function switchUser(client: QueryClient, user: User | null) {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== ME[0] });
  client.setQueryData(ME, user);
}

/** The signed-in user, or null for a visitor. */
export function useCurrentUser() {
  return useQuery({
    queryKey: ME,
    queryFn: async () => {
      try {
        return await api.get<User>('/api/me');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export interface SignUpInput {
  email: string;
  password: string;
  displayName: string;
  role: 'client' | 'therapist';
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<User>('/api/sessions', input),
    onSuccess: (user) => switchUser(client, user),
  });
}

/** E-mails a one-time sign-in link; the server answers the same whether or not the account exists. */
export function useRequestSignInLink() {
  return useMutation({
    mutationFn: (input: { email: string }) => api.post<null>('/api/sign-in-links', input),
  });
}

/** Signs in with the token of an e-mailed link (the part after `#`). */
export function useSignInWithLink() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { token: string }) => api.post<User>('/api/sessions/link', input),
    onSuccess: (user) => switchUser(client, user),
  });
}

export function useSignUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SignUpInput) => api.post<User>('/api/accounts', input),
    onSuccess: (user) => switchUser(client, user),
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/api/sessions/current'),
    onSuccess: () => switchUser(client, null),
  });
}

/** E-mails a "forgot password" link; the server answers the same whether or not the account exists. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (input: { email: string }) => api.post<null>('/api/password-resets', input),
  });
}

/** Sets a new password with the token of an e-mailed reset link, and signs in (every other session ends). */
export function useResetPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { token: string; password: string }) => api.post<User>('/api/password-resets/use', input),
    onSuccess: (user) => switchUser(client, user),
  });
}
