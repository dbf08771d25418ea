import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { DB } from '../schema.js';
import type { PaymentProvider } from './engine/payment-provider.js';
import { TestProcessor } from './test-processor/test-processor.js';

/**
 * The provider choice: PAYMENT_PROVIDER names one, built once by the app (http/app.ts) and handed to everything that
 * moves money. Adding a real processor is one file, `money/providers/<name>.ts` implementing PaymentProvider, and one
 * case here (docs/PAYMENTS.md).
 */
export function createPaymentProvider(
  settings: Config['payments'],
  platform: { db: Kysely<DB>; clock: Clock },
): PaymentProvider {
  switch (settings.provider) {
    case 'test':
      return new TestProcessor({ db: platform.db, clock: platform.clock, webhookSecret: settings.webhookSecret });
  }
}

/** A provider that sends its own webhooks from inside Knotwork (the test processor); a real one sends them itself. */
export interface WebhookSender {
  /** POSTs due webhooks to `${targetBaseUrl}/api/payments/webhooks/<name>`; returns how many were delivered. */
  deliverWebhooks(targetBaseUrl: string): Promise<number>;
}

export function sendsOwnWebhooks(provider: PaymentProvider): provider is PaymentProvider & WebhookSender {
  return typeof (provider as Partial<WebhookSender>).deliverWebhooks === 'function';
}

/** Where this instance is reached: PUBLIC_URL, else http://HOST:PORT (a wildcard host reached on loopback). */
export function ownBaseUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  if (config.publicUrl) return config.publicUrl;
  const host = config.host === '0.0.0.0' ? '127.0.0.1' : config.host === '::' ? '::1' : config.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
}
