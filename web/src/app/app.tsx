import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { Suspense } from 'react';
import { useCurrentUser } from '../features/auth/api/session';
import { EmptyState, ErrorNotice, Loading } from '../shared/components/states';
import { ApiError } from '../shared/lib/api-client';
import { Link, matchPath, sameSitePath, useLocation } from '../shared/lib/router';
import { Layout } from './layout';
import { FIRST_STEP, HOME } from './navigation';
import { Redirect } from './redirect';
import { ROUTES } from './routes';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not change by asking again; a dropped connection might.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

function Screen() {
  const location = useLocation();
  const me = useCurrentUser();
  for (const route of ROUTES) {
    const params = matchPath(route.path, location.pathname);
    if (!params) continue;
    // Pages open to everyone are drawn at once; the account fills in when /api/me answers.
    if (route.access === undefined) {
      if (route.path === '/' && me.data) return <Redirect to={HOME[me.data.role]} />;
      return <>{route.render(params, location)}</>;
    }
    if (me.isLoading) return <Loading />;
    if (me.error) return <ErrorNotice error={me.error} />;
    const user = me.data ?? null;
    if (route.access === 'guest' && user)
      return (
        <Redirect
          to={
            sameSitePath(location.search.get('next')) ??
            (location.pathname === '/sign-up' ? FIRST_STEP[user.role] : HOME[user.role])
          }
        />
      );
    if (Array.isArray(route.access)) {
      if (!user) return <Redirect to={`/sign-in?next=${encodeURIComponent(location.href)}`} />;
      if (!route.access.includes(user.role)) {
        return (
          <EmptyState title="This page is not part of your account.">
            <Link to={HOME[user.role]}>Go to your start page</Link>
          </EmptyState>
        );
      }
    }
    return <>{route.render(params, location)}</>;
  }
  return (
    <EmptyState title="Page not found.">
      <Link to="/">Go to the start page</Link>
    </EmptyState>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Layout>
        <Suspense fallback={<Loading />}>
          <Screen />
        </Suspense>
      </Layout>
    </QueryClientProvider>
  );
}
