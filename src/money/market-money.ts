import type { Expression, Kysely, Transaction } from 'kysely';
import type { DB } from '../schema.js';
import { MARKET_MONEY_DEFAULTS, type MarketMoney } from './engine/checkout.js';

type Db = Kysely<DB> | Transaction<DB>;

/** A market's money terms as its operator set them, with who and when; the defaults when nobody has. */
export interface MarketMoneyTerms extends MarketMoney {
  updatedAt: number | null;
  updatedBy: string | null;
}

/** The market's money terms with who set them and when. */
export async function marketMoneyTerms(db: Db, market: string): Promise<MarketMoneyTerms> {
  const row = await db.selectFrom('market_money').selectAll().where('market', '=', market).executeTakeFirst();
  if (!row) return { ...MARKET_MONEY_DEFAULTS, updatedAt: null, updatedBy: null };
  return {
    commissionBp: row.commission_bp,
    serviceFeeMinor: row.service_fee_minor,
    taxBp: row.tax_bp,
    taxLabel: row.tax_label,
    updatedAt: row.updated_at.getTime(),
    updatedBy: row.updated_by,
  };
}

/** The read of a market's money terms, as checkout prices with them, to be part of a larger read (see termsOfRow). */
export function marketMoneyRow(db: Db, market: string | Expression<string>) {
  return db
    .selectFrom('market_money')
    .select(['commission_bp', 'service_fee_minor', 'tax_bp', 'tax_label'])
    .where('market', '=', market);
}

/** The terms a marketMoneyRow read gives (null or undefined: nobody set them, the defaults). */
export function termsOfRow(
  row:
    { commission_bp: number; service_fee_minor: number; tax_bp: number; tax_label: string | null } | null | undefined,
): MarketMoney {
  if (!row) return { ...MARKET_MONEY_DEFAULTS };
  return {
    commissionBp: row.commission_bp,
    serviceFeeMinor: row.service_fee_minor,
    taxBp: row.tax_bp,
    taxLabel: row.tax_label,
  };
}

/** Sets the market's money terms (the market must exist: the caller checks). */
export async function setMarketMoney(
  db: Db,
  market: string,
  terms: MarketMoney,
  updatedBy: string,
  now: number,
): Promise<void> {
  const values = {
    commission_bp: terms.commissionBp,
    service_fee_minor: terms.serviceFeeMinor,
    tax_bp: terms.taxBp,
    tax_label: terms.taxLabel,
    updated_at: new Date(now),
    updated_by: updatedBy,
  };
  await db
    .insertInto('market_money')
    .values({ market, ...values })
    .onConflict((oc) => oc.column('market').doUpdateSet(values))
    .execute();
}
