import { type FormEvent, useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice } from '../../../shared/components/states';
import { ApiError, fieldError } from '../../../shared/lib/api-client';
import { Link, navigate } from '../../../shared/lib/router';
import { useCloseAccount } from '../api/account-settings';

/**
 * Closing a client's account. Upcoming sessions must be cancelled first (under their cancellation terms, in My
 * bookings); the server refuses otherwise and the section says so, with the way there.
 */
export function CloseAccountSection() {
  const close = useCloseAccount();
  const [currentPassword, setCurrentPassword] = useState('');
  const [sure, setSure] = useState(false);
  const upcoming = close.error instanceof ApiError && close.error.code === 'account_has_upcoming_bookings';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    close.mutate({ currentPassword }, { onSuccess: () => navigate('/', { replace: true }) });
  };
  return (
    <section className="card stack" aria-labelledby="close-heading">
      <h2 id="close-heading">Close your account</h2>
      <p className="muted">
        You are signed out everywhere and your name, e-mail address, phone and password are removed. Your bookings,
        payments, receipts and session records are kept, as the law and our accounts require. Sessions still to come
        must be cancelled first.
      </p>
      {upcoming ? (
        <p className="notice notice-error" role="alert">
          {close.error?.message}. <Link to="/bookings">Go to My bookings</Link>
        </p>
      ) : (
        <ErrorNotice error={close.error} shownFields={['currentPassword']} />
      )}
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Password to close the account" error={fieldError(close.error, 'currentPassword')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              value={currentPassword}
              onChange={(e) => setCurrentPassword(e.target.value)}
            />
          )}
        </Field>
        <label className="check">
          <input type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />
          <span>I understand that this cannot be undone</span>
        </label>
        <button className="btn btn-danger" type="submit" disabled={!sure || close.isPending}>
          {close.isPending ? 'Closing…' : 'Close my account'}
        </button>
      </form>
    </section>
  );
}
