import { formatMoney } from '../../../shared/lib/format';
import { cardWords } from '../../../shared/lib/payment-methods';
import type { Checkout } from '../api/checkout';

/** The total as its lines (the session, the service fee, tax, credits) and the grand total. */
export function CheckoutTotal({ checkout, id }: { checkout: Checkout; id: string }) {
  const money = (minor: number) => formatMoney(minor, checkout.currency);
  return (
    <section className="checkout-total" aria-labelledby={`total-${id}`}>
      <h3 id={`total-${id}`}>Total</h3>
      <table className="checkout-lines">
        <tbody>
          {checkout.lines.map((line, index) => (
            <tr key={`${line.kind}-${index}`}>
              <th scope="row">{line.label}</th>
              <td>{money(line.amountMinor)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{money(checkout.totalMinor)}</td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

/** What happened to the booking's payment, in words: authorised on a card, charged, refunded, released. */
function paymentWords(checkout: Checkout): string | null {
  const payment = checkout.payment;
  if (!payment) return null;
  const money = (minor: number) => formatMoney(minor, checkout.currency);
  const card = cardWords(payment);
  const refunded = payment.amountRefundedMinor > 0 ? ` ${money(payment.amountRefundedMinor)} was refunded to it.` : '';
  switch (payment.status) {
    case 'authorized':
      return `${money(payment.amountAuthorizedMinor)} is authorised on your ${card}. It is charged after the session.`;
    case 'captured':
      return `${money(payment.amountCapturedMinor)} was charged to your ${card}.${refunded}`;
    case 'voided':
      return `The authorisation on your ${card} was released: nothing was charged.`;
    default:
      return `The payment with your ${card} did not go through.`;
  }
}

export function PaymentNote({ checkout }: { checkout: Checkout }) {
  const words = paymentWords(checkout);
  if (!words) return null;
  return <p className="payment-note">{words}</p>;
}
