import type { Kysely, Transaction } from 'kysely';
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

/** The market's money terms alone, as checkout prices with them. */
export async function marketMoney(db: Db, market: string): Promise<MarketMoney> {
  const { updatedAt: _at, updatedBy: _by, ...terms } = await marketMoneyTerms(db, market);
  return terms;
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
