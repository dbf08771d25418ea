import { type FormEvent, type ReactNode, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import { Link } from '../../../shared/lib/router';
import { useRequestSignInLink, useSignIn } from '../api/session';

/** `intro` says why the person is asked to sign in (the time they tapped); `next` is where they go afterwards. */
export function SignInPage({ next, intro }: { next?: string | undefined; intro?: ReactNode }) {
  const signIn = useSignIn();
  const sendLink = useRequestSignInLink();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  // Slowed at this address (`rate_limited`), or a new address past the account's budget (`sign_in_link_required`):
  // either way the e-mailed link is offered; for the second it is the only way in from here.
  const errorCode = signIn.error instanceof ApiError ? signIn.error.code : undefined;
  const linkRequired = errorCode === 'sign_in_link_required';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate({ email, password });
  };
  return (
    <div className="narrow">
      <PageHeader title="Sign in">{intro ?? <p>Welcome back.</p>}</PageHeader>
      <form className="card form" onSubmit={submit} noValidate>
        {linkRequired ? (
          <p className="notice notice-error" role="alert">
            There have been too many failed sign-ins to this account from places it was never used from, so a password
            from here is not accepted for now. Sign in with a link we e-mail you instead.
          </p>
        ) : (
          <ErrorNotice error={signIn.error} shownFields={['email', 'password']} />
        )}
        <Field label="E-mail" error={fieldError(signIn.error, 'email')}>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" error={fieldError(signIn.error, 'password')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <button className="btn btn-primary btn-block" type="submit" disabled={signIn.isPending}>
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="center">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
      </form>
      {(errorCode === 'rate_limited' || linkRequired) && (
        <section className="card" aria-label="Sign in with a link">
          {sendLink.isSuccess ? (
            <p role="status">
              If an account has the e-mail {email}, a sign-in link is on its way. It works once, for 15 minutes.
            </p>
          ) : (
            <>
              <p>
                Sign in without your password: we can e-mail you a link that signs you in once
                {linkRequired ? ', and lets this device use your password again' : ''}.
              </p>
              <ErrorNotice error={sendLink.error} shownFields={[]} />
              <button
                className="btn btn-block"
                type="button"
                disabled={sendLink.isPending || email === ''}
                onClick={() => sendLink.mutate({ email })}
              >
                {sendLink.isPending ? 'Sending…' : 'E-mail me a sign-in link'}
              </button>
            </>
          )}
        </section>
      )}
      <p className="center muted">
        New to Knotwork?{' '}
        <Link to={next ? `/sign-up?next=${encodeURIComponent(next)}` : '/sign-up'}>Create an account</Link>
      </p>
    </div>
  );
}
