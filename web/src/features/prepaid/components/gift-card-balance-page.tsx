import { useState } from 'react';
import { Field } from '../../../shared/components/field';
import { ErrorNotice, PageHeader } from '../../../shared/components/states';
import { fieldError } from '../../../shared/lib/api-client';
import { formatMoney } from '../../../shared/lib/format';
import { useGiftCardBalance } from '../api/prepaid';

/** Anyone holding a gift card code can see what is left on it. */
export function GiftCardBalancePage() {
  const [code, setCode] = useState('');
  const check = useGiftCardBalance();
  return (
    <div className="narrow stack">
      <PageHeader title="Gift card balance">
        <p>Enter the code from your gift card e-mail to see what is left on it.</p>
      </PageHeader>
      <form
        className="card stack"
        onSubmit={(event) => {
          event.preventDefault();
          check.mutate(code);
        }}
      >
        <Field label="Gift card code" hint="For example KNOT-7K2M-9QXD-4HTA" error={fieldError(check.error, 'code')}>
          {(control) => (
            <input
              {...control}
              value={code}
              onChange={(event) => setCode(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              required
              maxLength={40}
            />
          )}
        </Field>
        <ErrorNotice error={check.error} shownFields={['code']} />
        <p>
          <button className="btn btn-primary" type="submit" disabled={check.isPending}>
            Check balance
          </button>
        </p>
      </form>
      {check.data && (
        <p className="card" role="status">
          The card ending {check.data.last4} has {formatMoney(check.data.balanceMinor, check.data.currency)} left of{' '}
          {formatMoney(check.data.initialMinor, check.data.currency)}.
        </p>
      )}
    </div>
  );
}
