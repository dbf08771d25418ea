import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import { Link, navigate } from '../../../shared/lib/router';
import { useResetPassword } from '../api/session';

/**
 * Where an e-mailed reset link opens: `/reset-password#<token>`. The token stays in the fragment, never sent to a
 * server but in the body of the request that sets the new password.
 */
export function ResetPasswordPage() {
  const reset = useResetPassword();
  const [token] = useState(() => window.location.hash.replace(/^#/, ''));
  const [password, setPassword] = useState('');
  const spent = reset.error instanceof ApiError && reset.error.code === 'password_reset_invalid';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    reset.mutate({ token, password }, { onSuccess: () => navigate('/', { replace: true }) });
  };
  return (
    <div className="narrow">
      <PageHeader title="Set a new password">
        <p>Setting it signs you in here and signs out every other device.</p>
      </PageHeader>
      {token === '' ? (
        <p className="card">
          This address has no reset link in it. Open the link from your e-mail, or{' '}
          <Link to="/forgot-password">ask for a new one</Link>.
        </p>
      ) : (
        <form className="card form" onSubmit={submit} noValidate>
          {spent ? (
            <p className="notice notice-error" role="alert">
              This link has expired or was already used. <Link to="/forgot-password">Ask for a new one</Link>.
            </p>
          ) : (
            <ErrorNotice error={reset.error} shownFields={['password']} />
          )}
          <Field
            label="New password"
            hint="At least 10 characters, hard to guess: a few unrelated words work well."
            error={fieldError(reset.error, 'password')}
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="new-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <button className="btn btn-primary btn-block" type="submit" disabled={reset.isPending || spent}>
            {reset.isPending ? 'Saving…' : 'Set password and sign in'}
          </button>
        </form>
      )}
    </div>
  );
}
