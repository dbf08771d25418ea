import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { Link } from '../../../shared/lib/router';
import { useRequestPasswordReset } from '../api/session';

/** "Forgot your password?": a link to set a new one is e-mailed (the answer does not say whether the account exists). */
export function ForgotPasswordPage() {
  const request = useRequestPasswordReset();
  const [email, setEmail] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate({ email });
  };
  return (
    <div className="narrow">
      <PageHeader title="Forgot your password?">
        <p>We e-mail you a link to set a new one.</p>
      </PageHeader>
      {request.isSuccess ? (
        <p className="card notice" role="status">
          If an account has the e-mail {email}, a link to set a new password is on its way. It works once, for 30
          minutes.
        </p>
      ) : (
        <form className="card form" onSubmit={submit} noValidate>
          <ErrorNotice error={request.error} shownFields={['email']} />
          <Field label="E-mail" error={fieldError(request.error, 'email')}>
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
          <button className="btn btn-primary btn-block" type="submit" disabled={request.isPending}>
            {request.isPending ? 'Sending…' : 'E-mail me a link'}
          </button>
        </form>
      )}
      <p className="center muted">
        <Link to="/sign-in">Back to sign in</Link>
      </p>
    </div>
  );
}
