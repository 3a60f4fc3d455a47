import { count, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as table from '../../src/lib/server/db/schema';
import * as places from '../../src/lib/server/places';
import * as reference from '../../src/lib/server/reference';
import { regionCodes } from '../../src/lib/vocab/regions';
import { freshDb } from '../support/db';

const cityCount = (db: ReturnType<typeof freshDb>) =>
	db.select({ n: count() }).from(table.city).all()[0].n;

describe('reference data seeding', () => {
	it('loads every ISO 3166-1 country and tens of thousands of cities into the template', () => {
		const db = freshDb();
		const countries = db.select({ n: count() }).from(table.country).all()[0].n;
		// 249 ISO 3166-1 entries plus Kosovo (XK, user-assigned), which GeoNames and the World Bank use.
		expect(countries).toBe(250);
		expect(cityCount(db)).toBeGreaterThan(100_000);
	});

	it('is idempotent: seeding again changes nothing and loads no city twice', () => {
		const db = freshDb();
		const before = cityCount(db);
		const logged: string[] = [];
		const result = reference.seedReferenceData(db, { log: (line) => logged.push(line) });
		expect(logged).toEqual([]);
		expect(result.countries).toBe(250);
		expect(result.cities).toBe(0);
		expect(cityCount(db)).toBe(before);
	});

	it('repairs a country row that was changed, on the next seed', () => {
		const db = freshDb();
		db.update(table.country)
			.set({ nameEn: 'Wrong', incomeGroup: 'H' })
			.where(eq(table.country.code, 'KE'))
			.run();
		reference.seedReferenceData(db);
		const kenya = places.getCountry(db, 'KE');
		expect(kenya?.nameEn).toBe('Kenya');
		expect(kenya?.incomeGroup).toBe('LM');
	});

	it('loads countries and cities into an empty database within a few seconds', () => {
		const db = freshDb();
		db.delete(table.city).run();
		const logged: string[] = [];
		const result = reference.seedReferenceData(db, { log: (line) => logged.push(line) });
		expect(result.cities).toBeGreaterThan(100_000);
		expect(result.milliseconds).toBeLessThan(10_000);
		expect(logged).toEqual([
			`Reference data: 250 countries, ${result.cities} cities loaded in ${result.milliseconds} ms.`
		]);
	}, 30_000);

	it('gives every country a known M49 region and a sub-region', () => {
		const db = freshDb();
		const rows = db.select().from(table.country).all();
		for (const row of rows) {
			expect(regionCodes).toContain(row.regionCode);
			expect(row.subregionCode).toMatch(/^\d{3}$/);
			expect(row.subregionName).not.toBe('');
			expect(row.alpha3).toMatch(/^[A-Z]{3}$/);
			expect(row.numeric).toMatch(/^\d{3}$/);
		}
	});
});

describe('known countries', () => {
	const db = freshDb();

	it('Kenya: Africa, Sub-Saharan Africa, lower-middle income, not least developed', () => {
		expect(places.getCountry(db, 'KE')).toMatchObject({
			alpha3: 'KEN',
			numeric: '404',
			nameFr: 'Kenya',
			regionCode: '002',
			regionName: 'Africa',
			subregionCode: '202',
			subregionName: 'Sub-Saharan Africa',
			incomeGroup: 'LM',
			isLdc: false
		});
	});

	it('Rwanda is low income and least developed; Korea is high income in Eastern Asia', () => {
		expect(places.getCountry(db, 'rw')).toMatchObject({ incomeGroup: 'L', isLdc: true });
		expect(places.getCountry(db, 'KR')).toMatchObject({
			regionCode: '142',
			subregionCode: '030',
			incomeGroup: 'H',
			isLdc: false
		});
	});

	it('follows the FY2026 World Bank changes', () => {
		expect(places.getCountry(db, 'CR')?.incomeGroup).toBe('H');
		expect(places.getCountry(db, 'CV')?.incomeGroup).toBe('UM');
		expect(places.getCountry(db, 'WS')?.incomeGroup).toBe('UM');
		expect(places.getCountry(db, 'NA')?.incomeGroup).toBe('LM');
	});

	it('places Antarctica in its own region and leaves unclassified territories without income group', () => {
		expect(places.getCountry(db, 'AQ')).toMatchObject({ regionCode: '010', incomeGroup: null });
		expect(places.getCountry(db, 'VE')?.incomeGroup).toBeNull();
		expect(places.getCountry(db, 'TW')).toMatchObject({ regionCode: '142', subregionCode: '030' });
	});

	it('answers null for unknown or malformed codes', () => {
		expect(places.getCountry(db, 'ZZ')).toBeNull();
		expect(places.getCountry(db, '')).toBeNull();
		expect(places.getCountry(db, "K'; DROP TABLE country; --")).toBeNull();
	});
});

describe('developing countries (derived)', () => {
	const db = freshDb();
	const developing = (code: string) => reference.isDevelopingCountry(places.getCountry(db, code)!);

	it('counts low and middle income countries and LDCs, not high income ones', () => {
		expect(developing('KE')).toBe(true);
		expect(developing('RW')).toBe(true);
		expect(developing('BR')).toBe(true);
		expect(developing('KR')).toBe(false);
		expect(developing('FR')).toBe(false);
		expect(developing('AQ')).toBe(false);
	});

	it('counts a least developed country even if it had no income group', () => {
		expect(reference.isDevelopingCountry({ incomeGroup: null, isLdc: true })).toBe(true);
		expect(reference.isDevelopingCountry({ incomeGroup: 'H', isLdc: false })).toBe(false);
	});
});

describe('city search', () => {
	const db = freshDb();

	it('finds Seoul first for "seoul", "Séoul" and " SEOUL "', () => {
		for (const query of ['seoul', 'Séoul', ' SEOUL ']) {
			const [first] = places.searchCities(db, query, { limit: 5 });
			expect(first).toMatchObject({ name: 'Seoul', countryCode: 'KR', countryName: 'South Korea' });
		}
	});

	it('ignores accents both ways and orders by population', () => {
		const results = places.searchCities(db, 'sao paulo', { limit: 3 });
		expect(results[0]).toMatchObject({ name: 'São Paulo', countryCode: 'BR' });
		const bogota = places.searchCities(db, 'BOGOTA', { countryCode: 'co', limit: 1 });
		expect(bogota[0].name).toBe('Bogotá');
		const populations = places.searchCities(db, 'san', { limit: 20 }).map((c) => c.population);
		expect(populations).toEqual([...populations].sort((a, b) => b - a));
	});

	it('finds names with apostrophes and hyphens however they are typed', () => {
		for (const query of ['ndjamena', "N'Djamena", 'n’djam']) {
			expect(places.searchCities(db, query, { limit: 1 })[0]?.name, query).toBe("N'Djamena");
		}
		for (const query of ['port au prince', 'Port-au-Prince', 'port-au']) {
			expect(places.searchCities(db, query, { limit: 1 })[0]?.name, query).toBe('Port-au-Prince');
		}
	});

	it('finds a later word of a name once the names that start with the query run out', () => {
		const paulo = places.searchCities(db, 'paulo', { limit: 20 }).map((c) => c.name);
		expect(paulo[0]).toBe('Paulo Afonso');
		expect(paulo).toContain('São Paulo');
		const salaam = places.searchCities(db, 'salaam', { countryCode: 'TZ', limit: 5 });
		expect(salaam.map((c) => c.name)).toContain('Dar es Salaam');
		// Names that start with the query still come first.
		const san = places.searchCities(db, 'san', { limit: 100 });
		expect(san.every((c) => places.foldName(c.name).startsWith('san'))).toBe(true);
	});

	it('narrows to one country and names the country in French on request', () => {
		const results = places.searchCities(db, 'nai', { countryCode: 'KE', limit: 5, locale: 'fr' });
		expect(results.length).toBeGreaterThan(0);
		expect(results.every((c) => c.countryCode === 'KE' && c.countryName === 'Kenya')).toBe(true);
		expect(results[0].name).toBe('Nairobi');
	});

	it('respects the limit', () => {
		expect(places.searchCities(db, 'a', { limit: 7 })).toHaveLength(7);
		expect(places.searchCities(db, 'a', { limit: 0 })).toHaveLength(1);
	});

	it('answers sensibly to empty and naughty queries', () => {
		expect(places.searchCities(db, '')).toEqual([]);
		expect(places.searchCities(db, '   ')).toEqual([]);
		expect(places.searchCities(db, '%')).toEqual([]);
		expect(places.searchCities(db, '_')).toEqual([]);
		expect(places.searchCities(db, "'; DROP TABLE city; --")).toEqual([]);
		expect(places.searchCities(db, 'x'.repeat(10_000))).toEqual([]);
		expect(places.searchCities(db, '\u0000')).toEqual([]);
		expect(places.searchCities(db, '🏙️')).toEqual([]);
		expect(cityCount(db)).toBeGreaterThan(100_000);
	});

	it('gets one city by id with its coordinates, or null', () => {
		const [seoul] = places.searchCities(db, 'seoul', { limit: 1 });
		const city = places.getCity(db, seoul.id);
		expect(city).toMatchObject({ name: 'Seoul', countryCode: 'KR' });
		expect(city!.latitude).toBeCloseTo(37.57, 1);
		expect(city!.longitude).toBeCloseTo(126.98, 1);
		expect(city!.population).toBeGreaterThan(5_000_000);
		expect(places.getCity(db, -1)).toBeNull();
		expect(places.getCity(db, Number.NaN)).toBeNull();
	});
});

describe('country list', () => {
	const db = freshDb();

	it('sorts by the localized name', () => {
		const english = places.listCountries(db, 'en');
		const french = places.listCountries(db, 'fr');
		expect(english).toHaveLength(250);
		expect(english[0].name).toBe('Afghanistan');
		expect(french.find((c) => c.code === 'DE')?.name).toBe('Allemagne');
		const frenchNames = french.map((c) => c.name);
		const collator = new Intl.Collator('fr', { sensitivity: 'base' });
		expect(frenchNames).toEqual([...frenchNames].sort(collator.compare));
		// "Égypte" sorts with the E's in French, not after Z.
		expect(frenchNames.indexOf('Égypte')).toBeLessThan(frenchNames.indexOf('Fidji'));
	});
});
