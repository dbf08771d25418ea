import { useState } from 'react';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { ApiError } from '../../../shared/lib/api-client';
import { Link } from '../../../shared/lib/router';
import { useVerifyEmail } from '../api/account-settings';

/**
 * Where the link sent to a new e-mail address opens: `/verify-email#<token>`. The token is in the fragment (never sent
 * to a server by the browser), and verifying waits for a tap, so a mail scanner that opens the link does not use it.
 */
export function VerifyEmailPage() {
  const verify = useVerifyEmail();
  const [token] = useState(() => window.location.hash.replace(/^#/, ''));
  const spent = verify.error instanceof ApiError && verify.error.code === 'email_change_invalid';
  return (
    <div className="narrow">
      <PageHeader title="Verify your new e-mail address" />
      <div className="card form">
        {verify.isSuccess ? (
          <p className="notice" role="status">
            Done: {verify.data.email} is now your Knotwork e-mail address. <Link to="/account">Your account</Link>
          </p>
        ) : spent ? (
          <p className="notice notice-error" role="alert">
            This link has expired, was replaced by a newer one or was already used. Ask for a new one on{' '}
            <Link to="/account">your account</Link>.
          </p>
        ) : (
          <ErrorNotice error={verify.error} />
        )}
        {token === '' ? (
          <p>This address has no verification link in it. Open the link from your e-mail.</p>
        ) : (
          !verify.isSuccess && (
            <button
              className="btn btn-primary btn-block"
              type="button"
              disabled={verify.isPending || spent}
              onClick={() => verify.mutate({ token })}
            >
              {verify.isPending ? 'Verifying…' : 'Use this e-mail address'}
            </button>
          )
        )}
      </div>
    </div>
  );
}
