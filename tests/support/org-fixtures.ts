import { eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import { randomId } from '../../src/lib/server/ids';
import { RuleError } from '../../src/lib/server/organisations';

/** Real GeoNames ids, so these rows match the seeded gazetteer when it is present. */
export const places = {
	nairobi: 184745,
	mombasa: 186301,
	paris: 2988507
};

/** Makes sure the places the organisation tests use exist (the reference seed may already have them). */
export function ensurePlaces(db: Db): void {
	db.insert(table.country)
		.values([
			{
				code: 'KE',
				alpha3: 'KEN',
				numeric: '404',
				nameEn: 'Kenya',
				nameFr: 'Kenya',
				regionCode: '002',
				regionName: 'Africa',
				subregionCode: '202',
				subregionName: 'Sub-Saharan Africa',
				incomeGroup: 'LM',
				isLdc: false
			},
			{
				code: 'FR',
				alpha3: 'FRA',
				numeric: '250',
				nameEn: 'France',
				nameFr: 'France',
				regionCode: '150',
				regionName: 'Europe',
				subregionCode: '155',
				subregionName: 'Western Europe',
				incomeGroup: 'H',
				isLdc: false
			}
		])
		.onConflictDoNothing()
		.run();
	db.insert(table.city)
		.values([
			{
				id: places.nairobi,
				name: 'Nairobi',
				searchName: 'nairobi',
				countryCode: 'KE',
				population: 2750547,
				latitude: -1.28333,
				longitude: 36.81667
			},
			{
				id: places.mombasa,
				name: 'Mombasa',
				searchName: 'mombasa',
				countryCode: 'KE',
				population: 799668,
				latitude: -4.05466,
				longitude: 39.66359
			},
			{
				id: places.paris,
				name: 'Paris',
				searchName: 'paris',
				countryCode: 'FR',
				population: 2138551,
				latitude: 48.85341,
				longitude: 2.3488
			}
		])
		.onConflictDoNothing()
		.run();
}

export type TestUser = { id: string; email: string; siteRole: 'member' | 'moderator' | 'admin' };

/** A user row written directly (the password is never used by these tests). */
export function makeUser(
	db: Db,
	siteRole: TestUser['siteRole'] = 'member',
	label = 'person'
): TestUser {
	const id = randomId();
	const email = `${label}-${id}@example.org`;
	db.insert(table.user)
		.values({ id, email, name: `${label} ${id.slice(0, 4)}`, passwordHash: 'unused', siteRole })
		.run();
	return { id, email, siteRole };
}

export function outboxTo(db: Db, address: string) {
	return db.select().from(table.emailOutbox).where(eq(table.emailOutbox.toAddress, address)).all();
}

/** The RuleError a call throws; any other outcome fails the test. */
export function ruleErrorOf(run: () => unknown): RuleError {
	try {
		run();
	} catch (error) {
		if (error instanceof RuleError) return error;
		throw error;
	}
	throw new Error('expected a RuleError');
}
