/**
 * The committed price table (prices.json) and its lookup. Every price names its source and the date
 * of that source; a regional figure derived from the us-east-1 price with a documented multiplier
 * carries `estimated`, so a reader of an estimate can tell a listed price from a derived one.
 * Sources and assumptions: docs/pricing.md.
 */
import table from "./prices.json";

export interface Source {
  readonly title: string;
  readonly url: string;
  readonly date: string;
}

export interface RegionalPrice {
  readonly usd: number;
  /** Key into `PRICE_TABLE.sources`. */
  readonly source: string;
  readonly date: string;
  /** How the figure was derived when no regional price was found. */
  readonly estimated?: string;
}

export interface PriceItem {
  readonly unit: string;
  readonly note?: string;
  readonly regions: Readonly<Record<string, RegionalPrice>>;
}

export interface PriceTable {
  readonly currency: "USD";
  readonly hoursPerMonth: number;
  readonly regions: readonly string[];
  readonly sources: Readonly<Record<string, Source>>;
  readonly prices: Readonly<Record<string, PriceItem>>;
}

export const PRICE_TABLE = table as unknown as PriceTable;

/** Regions the table prices; an estimate in any other region reports its resources as unknown. */
export const PRICED_REGIONS: readonly string[] = PRICE_TABLE.regions;

export const HOURS_PER_MONTH = PRICE_TABLE.hoursPerMonth;

/** Price keys, e.g. `ec2:m7g.xlarge`, `rds:db.r7g.large`, `vpc:nat-gateway`. */
export function lookupPrice(
  key: string,
  region: string,
  prices: PriceTable = PRICE_TABLE,
): RegionalPrice | undefined {
  return prices.prices[key]?.regions[region];
}
