import { useState } from 'react';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { ApiError } from '../../../shared/lib/api-client';
import { Link, navigate } from '../../../shared/lib/router';
import { useSignInWithLink } from '../api/session';

/**
 * Where an e-mailed sign-in link opens: `/sign-in/link#<token>`. The token is in the fragment (never sent to a server
 * by the browser), and signing in waits for a tap, so a mail scanner that opens the link does not use it up.
 */
export function SignInLinkPage() {
  const signIn = useSignInWithLink();
  const [token] = useState(() => window.location.hash.replace(/^#/, ''));
  const spent = signIn.error instanceof ApiError && signIn.error.code === 'sign_in_link_invalid';
  return (
    <div className="narrow">
      <PageHeader title="Sign in with your link">
        <p>The link from your e-mail signs you in once, within 15 minutes of sending.</p>
      </PageHeader>
      <div className="card form">
        {spent ? (
          <p className="notice notice-error" role="alert">
            This link has expired or was already used. <Link to="/sign-in">Sign in</Link> to ask for a new one.
          </p>
        ) : (
          <ErrorNotice error={signIn.error} />
        )}
        {token === '' ? (
          <p>
            This address has no sign-in link in it. Open the link from your e-mail, or{' '}
            <Link to="/sign-in">sign in</Link>.
          </p>
        ) : (
          <button
            className="btn btn-primary btn-block"
            type="button"
            disabled={signIn.isPending || spent}
            onClick={() => signIn.mutate({ token }, { onSuccess: () => navigate('/', { replace: true }) })}
          >
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        )}
      </div>
    </div>
  );
}
