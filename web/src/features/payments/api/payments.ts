import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { ApiError, type Problem, api, withQuery } from '../../../shared/lib/api-client';
import type { PaymentsPage } from '../../../shared/lib/api-types';

const PAGE_SIZE = 20;

/** The client's payments, newest first, a page at a time ("Show older payments" asks for the next). */
export function usePayments() {
  return useInfiniteQuery({
    queryKey: ['payments'],
    initialPageParam: 0,
    queryFn: ({ pageParam }) => api.get<PaymentsPage>('/api/me/payments', { limit: PAGE_SIZE, offset: pageParam }),
    getNextPageParam: (last, pages) => (last.hasMore ? pages.length * PAGE_SIZE : undefined),
  });
}

/**
 * Asks for the superbill first (a wrong range comes back as a problem naming the field), then hands the PDF to the
 * browser as a download.
 */
export function useSuperbillDownload() {
  return useMutation({
    mutationFn: async (range: { from: string; to: string }) => {
      let response: Response;
      try {
        response = await fetch(withQuery('/api/me/superbill.pdf', range), {
          credentials: 'same-origin',
          headers: { accept: 'application/pdf, application/problem+json' },
        });
      } catch {
        throw new ApiError({
          type: 'about:blank',
          title: 'Knotwork cannot be reached',
          status: 0,
          detail: 'Knotwork cannot be reached. Check your connection and try again.',
          code: 'network_error',
        });
      }
      if (!response.ok) {
        const problem = (await response.json().catch(() => undefined)) as Problem | undefined;
        throw new ApiError(
          problem?.code
            ? problem
            : {
                type: 'about:blank',
                title: response.statusText,
                status: response.status,
                detail: `The server answered ${response.status}`,
                code: 'unexpected_response',
              },
        );
      }
      const url = URL.createObjectURL(await response.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = `knotwork-superbill-${range.from}-to-${range.to}.pdf`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    },
  });
}
