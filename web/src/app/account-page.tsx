import { AccountSettingsSections } from '../features/account-settings/components/account-settings-sections';
import { CloseAccountSection } from '../features/account-settings/components/close-account-section';
import { useCurrentUser } from '../features/auth/api/session';
import { PaymentMethodsSection } from '../features/payment-methods/components/payment-methods-section';
import { CalendarSection } from '../features/calendar-feeds/components/calendar-section';
import { MyDataSection } from '../features/my-data/components/my-data-section';
import { PageHeader } from '../shared/components/states';

/**
 * The signed-in person's account: who they are, their e-mail, password, phone and e-mails, a client's saved cards,
 * their calendar links, a client's health data (download and erase), and closing a client's account.
 */
export function AccountPage() {
  const me = useCurrentUser();
  const user = me.data;
  if (!user) return null;
  return (
    <div className="narrow stack">
      <PageHeader title="Account">
        <p>
          {user.displayName} · {user.email}
        </p>
      </PageHeader>
      <AccountSettingsSections />
      {user.role === 'client' && <PaymentMethodsSection />}
      <CalendarSection />
      {user.role === 'client' && <MyDataSection />}
      {user.role === 'client' && <CloseAccountSection />}
    </div>
  );
}
