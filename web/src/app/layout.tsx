import { type ReactNode, useEffect, useRef } from 'react';
import { useCurrentUser, useSignOut } from '../features/auth/api/session';
import { withQuery } from '../shared/lib/api-client';
import { Link, navigate, useLocation } from '../shared/lib/router';
import { NAVIGATION } from './navigation';

/** After a client-side navigation, focus moves to the new page's heading and the title follows it. */
function useAnnouncePage(pathname: string) {
  const first = useRef(true);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>('main h1');
      document.title = heading?.textContent ? `${heading.textContent} · Knotwork` : 'Knotwork';
      if (first.current) {
        first.current = false;
        return;
      }
      (heading ?? document.querySelector<HTMLElement>('main'))?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
}

/** On the sign-in and sign-up pages the header's links to each other keep where the person was going (a tapped time). */
const AUTH_PAGES = new Set(['/sign-in', '/sign-up']);

export function Layout({ children }: { children: ReactNode }) {
  const { pathname, search } = useLocation();
  const next = AUTH_PAGES.has(pathname) ? search.get('next') : null;
  const me = useCurrentUser();
  const signOut = useSignOut();
  const user = me.data ?? null;
  const items = user ? NAVIGATION[user.role] : [];
  useAnnouncePage(pathname);

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link to="/" className="brand" aria-label="Knotwork home">
            <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
              <rect width="32" height="32" rx="8" fill="currentColor" />
              <path
                d="M9 22c3-8 11-8 14 0M11 12a5 5 0 0 1 10 0"
                fill="none"
                stroke="#fff"
                strokeWidth="2.5"
                strokeLinecap="round"
              />
            </svg>
            <span>Knotwork</span>
          </Link>
          {/* Empty until /api/me answers, rather than offering a signed-in person "Sign in". */}
          <div className="account">
            {me.isLoading ? null : user ? (
              <>
                <span className="account-name">{user.displayName}</span>
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={signOut.isPending}
                  onClick={() => signOut.mutate(undefined, { onSuccess: () => navigate('/') })}
                >
                  Sign out
                </button>
              </>
            ) : (
              <>
                <Link to={withQuery('/sign-in', { next })} className="btn btn-small btn-quiet">
                  Sign in
                </Link>
                <Link to={withQuery('/sign-up', { next })} className="btn btn-small btn-primary">
                  Sign up
                </Link>
              </>
            )}
          </div>
        </div>
        {items.length > 0 && (
          <nav className="site-nav" aria-label="Main">
            <ul role="list">
              {items.map((item) => {
                const current = pathname === item.to || pathname.startsWith(`${item.to}/`);
                return (
                  <li key={item.to}>
                    <Link to={item.to} aria-current={current ? 'page' : undefined}>
                      {item.label}
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="site-footer">
        <p>
          Knotwork · deep tissue massage, end to end · <a href="/docs">API</a>
        </p>
      </footer>
    </>
  );
}
