import { type FormEvent, useState } from 'react';
import {
  ALWAYS_SENT,
  NOTIFICATION_TOPICS,
  NOTIFICATION_TOPIC_IDS,
} from '../../../../../src/domain/notification-topics';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, Loading } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { formatWhen } from '../../../shared/lib/format';
import {
  useAccountSettings,
  useChangePassword,
  useRequestEmailChange,
  useSetNotifications,
  useSetPhone,
} from '../api/account-settings';

/** The account page's settings: e-mail address, password, phone and which optional e-mails to get. */
export function AccountSettingsSections() {
  const settings = useAccountSettings();
  if (settings.isPending) return <Loading />;
  if (!settings.data) return <ErrorNotice error={settings.error} />;
  return (
    <>
      <EmailSection email={settings.data.email} pending={settings.data.pendingEmail} />
      <PasswordSection />
      <PhoneSection phone={settings.data.phone} />
      <NotificationsSection choices={settings.data.notifications} />
    </>
  );
}

function EmailSection({ email, pending }: { email: string; pending: { email: string; expiresAt: string } | null }) {
  const change = useRequestEmailChange();
  const [newEmail, setNewEmail] = useState('');
  const [currentPassword, setCurrentPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { newEmail, currentPassword },
      {
        onSuccess: () => {
          setNewEmail('');
          setCurrentPassword('');
        },
      },
    );
  };
  return (
    <section className="card stack" aria-labelledby="email-heading">
      <h2 id="email-heading">E-mail address</h2>
      <p>
        You sign in and get messages at <strong>{email}</strong>.
      </p>
      {pending && (
        <p className="notice" role="status">
          We sent a link to {pending.email}. Open it by {formatWhen(pending.expiresAt)} to make it your address; until
          then, {email} stays.
        </p>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <ErrorNotice error={change.error} shownFields={['newEmail', 'currentPassword']} />
        <Field label="New e-mail address" error={fieldError(change.error, 'newEmail')}>
          {(p) => (
            <input
              {...p}
              type="email"
              autoComplete="email"
              required
              value={newEmail}
              onChange={(e) => setNewEmail(e.target.value)}
            />
          )}
        </Field>
        <Field label="Your password" error={fieldError(change.error, 'currentPassword')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrentPassword(e.target.value)}
            />
          )}
        </Field>
        <button className="btn" type="submit" disabled={change.isPending}>
          {change.isPending ? 'Sending…' : 'Send a verification link'}
        </button>
      </form>
    </section>
  );
}

function PasswordSection() {
  const change = useChangePassword();
  const [currentPassword, setCurrentPassword] = useState('');
  const [newPassword, setNewPassword] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    change.mutate(
      { currentPassword, newPassword },
      {
        onSuccess: () => {
          setCurrentPassword('');
          setNewPassword('');
        },
      },
    );
  };
  return (
    <section className="card stack" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      {change.isSuccess && (
        <p className="notice" role="status">
          Your password is changed. Every other device was signed out.
        </p>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <ErrorNotice error={change.error} shownFields={['currentPassword', 'newPassword']} />
        <Field label="Current password" error={fieldError(change.error, 'currentPassword')}>
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="current-password"
              required
              value={currentPassword}
              onChange={(e) => setCurrentPassword(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="New password"
          hint="At least 10 characters, hard to guess: a few unrelated words work well."
          error={fieldError(change.error, 'newPassword')}
        >
          {(p) => (
            <input
              {...p}
              type="password"
              autoComplete="new-password"
              required
              value={newPassword}
              onChange={(e) => setNewPassword(e.target.value)}
            />
          )}
        </Field>
        <button className="btn" type="submit" disabled={change.isPending}>
          {change.isPending ? 'Changing…' : 'Change password'}
        </button>
      </form>
    </section>
  );
}

function PhoneSection({ phone }: { phone: string | null }) {
  const save = useSetPhone();
  const [value, setValue] = useState(phone ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ phone: value.trim() === '' ? null : value }, { onSuccess: (s) => setValue(s?.phone ?? '') });
  };
  return (
    <section className="card stack" aria-labelledby="phone-heading">
      <h2 id="phone-heading">Phone</h2>
      <p className="muted">
        If a check-in after a session shows a warning sign, your therapist and our care team use it to call you.
      </p>
      {save.isSuccess && (
        <p className="notice" role="status">
          {phone ? `Saved: ${phone}.` : 'Your phone number is removed.'}
        </p>
      )}
      <form className="form" onSubmit={submit} noValidate>
        <ErrorNotice error={save.error} shownFields={['phone']} />
        <Field
          label="Phone number"
          hint="With the country code, e.g. +1 212 555 0100. Leave empty to remove it."
          error={fieldError(save.error, 'phone')}
        >
          {(p) => (
            <input {...p} type="tel" autoComplete="tel" value={value} onChange={(e) => setValue(e.target.value)} />
          )}
        </Field>
        <button className="btn" type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save phone'}
        </button>
      </form>
    </section>
  );
}

function NotificationsSection({ choices }: { choices: Record<(typeof NOTIFICATION_TOPIC_IDS)[number], boolean> }) {
  const save = useSetNotifications();
  return (
    <section className="card stack" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">E-mails</h2>
      <p className="muted">Turned-off e-mails are still kept under Messages.</p>
      <ErrorNotice error={save.error} />
      <fieldset className="fieldset">
        <legend>E-mails you can turn off</legend>
        {NOTIFICATION_TOPIC_IDS.map((topic) => (
          <label key={topic} className="check">
            <input
              type="checkbox"
              // While saving, the box shows the choice being saved (and goes back if the save fails).
              checked={(save.isPending ? save.variables[topic] : undefined) ?? choices[topic]}
              disabled={save.isPending}
              onChange={(e) => save.mutate({ [topic]: e.target.checked })}
            />
            <span>
              {NOTIFICATION_TOPICS[topic].label}
              <br />
              <span className="muted small">{NOTIFICATION_TOPICS[topic].description}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <details>
        <summary>E-mails we always send, and why</summary>
        <ul>
          {ALWAYS_SENT.map((kind) => (
            <li key={kind.label}>
              <strong>{kind.label}</strong>: {kind.why}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
