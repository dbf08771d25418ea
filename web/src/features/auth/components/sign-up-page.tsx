import { type FormEvent, type ReactNode, useState } from 'react';
import { Field, FieldSet } from '../../../shared/components/field';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { Link } from '../../../shared/lib/router';
import { useSignUp } from '../api/session';

/** `intro` says why the person is asked to sign up (the time they tapped); `next` is where they go afterwards. */
export function SignUpPage({
  initialRole = 'client',
  next,
  intro,
}: {
  initialRole?: 'client' | 'therapist';
  next?: string | undefined;
  intro?: ReactNode;
}) {
  const signUp = useSignUp();
  const [role, setRole] = useState<'client' | 'therapist'>(initialRole);
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signUp.mutate({ role, displayName, email, password });
  };
  return (
    <div className="narrow">
      <PageHeader title="Create your account">
        {intro}
        <p>
          It takes a minute. Your health details stay between you, the therapists you book and our clinical operators.
        </p>
      </PageHeader>
      <form className="card form" onSubmit={submit} noValidate>
        <ErrorNotice error={signUp.error} shownFields={['email', 'password', 'displayName', 'role']} />
        <FieldSet legend="I am" error={fieldError(signUp.error, 'role')}>
          <div className="choice-row">
            <label className="choice">
              <input
                type="radio"
                name="role"
                value="client"
                checked={role === 'client'}
                onChange={() => setRole('client')}
              />
              <span>
                <strong>Looking for a massage</strong>
                <small>Find a therapist and book</small>
              </span>
            </label>
            <label className="choice">
              <input
                type="radio"
                name="role"
                value="therapist"
                checked={role === 'therapist'}
                onChange={() => setRole('therapist')}
              />
              <span>
                <strong>A licensed therapist</strong>
                <small>Offer sessions on Knotwork</small>
              </span>
            </label>
          </div>
        </FieldSet>
        <Field label="Your name" error={fieldError(signUp.error, 'displayName')}>
          {(p) => (
            <input
              {...p}
              autoComplete="name"
              required
              value={displayName}
              onChange={(e) => setDisplayName(e.target.value)}
            />
          )}
        </Field>
        <Field label="E-mail" error={fieldError(signUp.error, 'email')}>
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
        <Field
          label="Password"
          hint="At least 10 characters, and not easy to guess: a few uncommon words work well."
          error={fieldError(signUp.error, 'password')}
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
        <button className="btn btn-primary btn-block" type="submit" disabled={signUp.isPending}>
          {signUp.isPending ? 'Creating your account…' : 'Create account'}
        </button>
      </form>
      <p className="center muted">
        Already have an account?{' '}
        <Link to={next ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in'}>Sign in</Link>
      </p>
    </div>
  );
}
