import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotificationTopic } from '../../../../../src/domain/notification-topics';
import { api } from '../../../shared/lib/api-client';
import type { AccountSettings } from '../../../shared/lib/api-types';

const SETTINGS = ['account-settings'] as const;

/** E-mail (and a new one waiting to be verified), phone and optional e-mails of the signed-in person. */
export function useAccountSettings() {
  return useQuery({ queryKey: SETTINGS, queryFn: () => api.get<AccountSettings>('/api/me/settings') });
}

function useSettingsMutation<I>(send: (input: I) => Promise<AccountSettings | null>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: (settings) => {
      if (settings) client.setQueryData(SETTINGS, settings);
    },
  });
}

export const useChangePassword = () =>
  useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) => api.put<null>('/api/me/password', input),
  });

export const useRequestEmailChange = () =>
  useSettingsMutation((input: { newEmail: string; currentPassword: string }) =>
    api.post<AccountSettings>('/api/me/email-change', input),
  );

export const useSetPhone = () =>
  useSettingsMutation((input: { phone: string | null }) => api.put<AccountSettings>('/api/me/phone', input));

export const useSetNotifications = () =>
  useSettingsMutation((input: Partial<Record<NotificationTopic, boolean>>) =>
    api.put<AccountSettings>('/api/me/notification-preferences', input),
  );

/** Verifies a new address with the token of the link sent to it; whoever is signed in here sees the new address. */
export function useVerifyEmail() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { token: string }) => api.post<{ email: string }>('/api/email-changes/verify', input),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['me'] });
      void client.invalidateQueries({ queryKey: SETTINGS });
    },
  });
}

/** Closes the signed-in client's account; afterwards nobody is signed in here. */
export function useCloseAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string }) => api.post<null>('/api/me/close', input),
    onSuccess: () => {
      client.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      client.setQueryData(['me'], null);
    },
  });
}
