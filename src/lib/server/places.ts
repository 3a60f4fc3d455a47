import { and, desc, eq, gte, lt, not, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';

export type PlaceLocale = 'en' | 'fr';

export type Country = typeof table.country.$inferSelect;

/** A city as the pickers and profiles show it; `countryName` is in the requested language. */
export type CitySummary = {
	id: number;
	name: string;
	countryCode: string;
	countryName: string;
	adminCode: string | null;
	population: number;
	latitude: number;
	longitude: number;
};

/** A country in a list or select, with its name in the requested language. */
export type CountryOption = {
	code: string;
	name: string;
	regionCode: string;
	subregionCode: string;
	incomeGroup: Country['incomeGroup'];
	isLdc: boolean;
};

/** Letters that Unicode decomposition leaves whole, spelled the way people type them. */
const unfoldable: Record<string, string> = {
	ø: 'o',
	đ: 'd',
	ð: 'd',
	ł: 'l',
	ß: 'ss',
	æ: 'ae',
	œ: 'oe',
	þ: 'th',
	ı: 'i',
	ħ: 'h'
};

/**
 * The form names are compared in: lower-case, accents removed (NFKD, then combining marks
 * stripped, then NFC again so scripts such as Hangul stay composed), apostrophes and dots dropped,
 * hyphens read as spaces. So "Séoul" and "seoul", "N'Djamena" and "ndjamena", "Port-au-Prince"
 * and "port au prince" are the same.
 */
export function foldName(text: string): string {
	return text
		.normalize('NFKD')
		.replace(/\p{M}/gu, '')
		.normalize('NFC')
		.toLowerCase()
		.replace(/[øđðłßæœþıħ]/g, (letter) => unfoldable[letter])
		.replace(/['’`.]/g, '')
		.replace(/[\s\-‐–—_/]+/g, ' ')
		.trim();
}

/** Longest query worth running: no place name is longer. */
export const maxCityQueryLength = 100;

/** Most cities one search-as-you-type request may ask for. */
export const maxCitySearchLimit = 20;

const limitMessage = () => m.vocab_places_limit_range({ max: maxCitySearchLimit });

/**
 * Parameters of a city search (GET /api/v1/places/cities and the city pickers), as strings from a
 * query string or form. Absent or empty country means any country; absent limit means 10.
 */
export const citySearchSchema = z.object({
	q: z
		.string()
		.max(maxCityQueryLength, {
			error: () => m.vocab_places_query_too_long({ max: maxCityQueryLength })
		})
		.default(''),
	country: z
		.string()
		.regex(/^[A-Za-z]{2}$/, { error: () => m.vocab_places_country_format() })
		.transform((code) => code.toUpperCase())
		.optional(),
	limit: z
		.string()
		.regex(/^\d{1,3}$/, { error: limitMessage })
		.transform(Number)
		.pipe(
			z.number().min(1, { error: limitMessage }).max(maxCitySearchLimit, { error: limitMessage })
		)
		.default(10),
	lang: z.enum(['en', 'fr'], { error: () => m.vocab_places_lang() }).optional()
});
export type CitySearch = z.infer<typeof citySearchSchema>;

/** The highest code point, so `prefix + highest` bounds every string that starts with prefix. */
const highest = String.fromCodePoint(0x10ffff);

const citySummaryColumns = (locale: PlaceLocale) => ({
	id: table.city.id,
	name: table.city.name,
	countryCode: table.city.countryCode,
	countryName: locale === 'fr' ? table.country.nameFr : table.country.nameEn,
	adminCode: table.city.adminCode,
	population: table.city.population,
	latitude: table.city.latitude,
	longitude: table.city.longitude
});

/**
 * Cities whose name starts with the query, ignoring case, accents and punctuation, most populous
 * first; then, if the limit is not reached, cities with a later word that starts with it ("paulo"
 * finds São Paulo). A blank query, or one longer than any place name, finds nothing.
 */
export function searchCities(
	db: Db,
	query: string,
	options: { countryCode?: string; limit?: number; locale?: PlaceLocale } = {}
): CitySummary[] {
	const prefix = foldName(query);
	if (!prefix || prefix.length > maxCityQueryLength) return [];
	const limit = Math.min(Math.max(Math.trunc(options.limit ?? 10), 1), 100);
	const inCountry = options.countryCode
		? eq(table.city.countryCode, options.countryCode.toUpperCase())
		: undefined;
	const find = (where: SQL | undefined, count: number) =>
		db
			.select(citySummaryColumns(options.locale ?? 'en'))
			.from(table.city)
			.innerJoin(table.country, eq(table.country.code, table.city.countryCode))
			.where(and(where, inCountry))
			.orderBy(desc(table.city.population), table.city.name)
			.limit(count)
			.all();
	// A range on the indexed column rather than LIKE, so % and _ in the query are plain characters.
	const startsWith = and(
		gte(table.city.searchName, prefix),
		lt(table.city.searchName, prefix + highest)
	);
	const results = find(startsWith, limit);
	if (results.length === limit) return results;
	// A scan of the table (tens of milliseconds), so only when the indexed search fell short.
	const laterWord = and(
		sql`instr(${table.city.searchName}, ${' ' + prefix}) > 0`,
		not(startsWith!)
	);
	return [...results, ...find(laterWord, limit - results.length)];
}

export function getCity(db: Db, id: number, locale: PlaceLocale = 'en'): CitySummary | null {
	if (!Number.isSafeInteger(id)) return null;
	return (
		db
			.select(citySummaryColumns(locale))
			.from(table.city)
			.innerJoin(table.country, eq(table.country.code, table.city.countryCode))
			.where(eq(table.city.id, id))
			.get() ?? null
	);
}

/** Every country, sorted by its name in the given language. */
export function listCountries(db: Db, locale: PlaceLocale = 'en'): CountryOption[] {
	const rows = db
		.select({
			code: table.country.code,
			name: locale === 'fr' ? table.country.nameFr : table.country.nameEn,
			regionCode: table.country.regionCode,
			subregionCode: table.country.subregionCode,
			incomeGroup: table.country.incomeGroup,
			isLdc: table.country.isLdc
		})
		.from(table.country)
		.all();
	const collator = new Intl.Collator(locale, { sensitivity: 'base' });
	return rows.sort((a, b) => collator.compare(a.name, b.name));
}

/** A country by its ISO 3166-1 alpha-2 code (any case), or null. */
export function getCountry(db: Db, code: string): Country | null {
	if (!/^[A-Za-z]{2}$/.test(code)) return null;
	return (
		db.select().from(table.country).where(eq(table.country.code, code.toUpperCase())).get() ?? null
	);
}
