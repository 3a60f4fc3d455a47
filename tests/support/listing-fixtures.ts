import { eq } from 'drizzle-orm';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as listings from '../../src/lib/server/needs-offers';
import * as organisations from '../../src/lib/server/organisations';
import { ensurePlaces, makeUser, places, type TestUser } from './org-fixtures';

/**
 * Needs and offers for tests, written through the domain functions (the code the forms call).
 * Input builders give valid content; `cityWithNeed` and `partnerWithOffer` make a member, an
 * organisation and one listing in one call.
 */

let counter = 0;
const next = () => `${++counter}-${Date.now().toString(36)}`;

export const actorOf = (user: TestUser): Actor => ({ id: user.id, siteRole: user.siteRole });

/** A valid need as the forms and the API send it (JSON values); overrides win. */
export function needValues(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		title: `Early warning for flash floods ${next()}`,
		challenge:
			'Informal settlements along the river flood **every rainy season**; residents get no warning.',
		triedSoFar: 'Volunteers with whistles along two streams.',
		themes: ['S'],
		sdgTargets: ['11.5', '11.b'],
		cooperationTypes: ['technological', 'capacity_building'],
		languages: ['en', 'fr'],
		timeframe: 'within_12_months',
		budgetAmount: 50000,
		budgetCurrency: 'USD',
		visibility: 'public',
		...overrides
	};
}

/** A valid offer (JSON values); regional (Africa) unless overridden. */
export function offerValues(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		title: `Flood early-warning training ${next()}`,
		description: 'A two-week **training** on community flood early-warning systems for city staff.',
		format: 'training',
		themes: ['S'],
		sdgTargets: ['11.5'],
		cooperationTypes: ['capacity_building', 'knowledge_sharing'],
		isGlobal: false,
		regions: ['002'],
		countries: [],
		languages: ['en', 'fr'],
		capacity: 10,
		eligibleIncomeGroups: ['L', 'LM'],
		onlyLeastDeveloped: false,
		deadline: null,
		visibility: 'public',
		...overrides
	};
}

/** The parsed need input the domain functions take. */
export const needInput = (overrides: Record<string, unknown> = {}) =>
	listings.needInput.parse(needValues(overrides));
export const offerInput = (overrides: Record<string, unknown> = {}) =>
	listings.offerInput.parse(offerValues(overrides));

/** The same content as form fields (strings and string arrays), for HTTP form posts. */
export function needFormFields(
	overrides: Record<string, string | string[]> = {}
): Record<string, string | string[]> {
	return {
		title: `Early warning for flash floods ${next()}`,
		challenge:
			'Informal settlements along the river flood every rainy season; residents get no warning.',
		triedSoFar: 'Volunteers with whistles along two streams.',
		themes: ['S'],
		sdgTargets: ['11.5', '11.b'],
		cooperationTypes: ['technological', 'capacity_building'],
		languages: ['en', 'fr'],
		timeframe: 'within_12_months',
		budgetAmount: '50000',
		budgetCurrency: 'USD',
		visibility: 'public',
		expiresOn: '',
		...overrides
	};
}

export function offerFormFields(
	overrides: Record<string, string | string[]> = {}
): Record<string, string | string[]> {
	return {
		title: `Flood early-warning training ${next()}`,
		description: 'A two-week training on community flood early-warning systems for city staff.',
		format: 'training',
		themes: ['S'],
		sdgTargets: ['11.5'],
		cooperationTypes: ['capacity_building', 'knowledge_sharing'],
		regions: ['002'],
		languages: ['en', 'fr'],
		capacity: '10',
		eligibleIncomeGroups: ['L', 'LM'],
		deadline: '',
		visibility: 'public',
		...overrides
	};
}

export function verifyOrganisation(db: Db, organisationId: string): void {
	db.update(table.organisation)
		.set({ verificationState: 'verified', verifiedAt: new Date() })
		.where(eq(table.organisation.id, organisationId))
		.run();
}

export type OrganisationOptions = {
	name?: string;
	/**
	 * Default: a city in Nairobi (Kenya) for cities, an NGO in France for partners. A city
	 * organisation in another country than KE or FR needs `city` (a GeoNames id there).
	 */
	kind?: (typeof table.organisationKinds)[number];
	country?: string;
	city?: number | null;
	verified?: boolean;
	/** The owner; a new member user by default. */
	owner?: TestUser;
};

/** An organisation with its owner (a member user unless given). */
export function makeOrganisation(db: Db, options: OrganisationOptions = {}) {
	ensurePlaces(db);
	const kind = options.kind ?? 'city';
	const owner = options.owner ?? makeUser(db, 'member', kind === 'city' ? 'city' : 'partner');
	const country = options.country ?? (kind === 'city' ? 'KE' : 'FR');
	// A city organisation needs a city of its country: Nairobi or Paris unless one is given.
	const defaultCity = country === 'FR' ? places.paris : places.nairobi;
	const city = options.city !== undefined ? options.city : kind === 'city' ? defaultCity : null;
	const { id, slug } = organisations.createOrganisation(db, owner.id, {
		name: options.name ?? `${kind === 'city' ? 'City of Testville' : 'Partner'} ${next()}`,
		kind,
		country,
		city,
		website: null,
		description: '',
		languages: ['en']
	});
	if (options.verified) verifyOrganisation(db, id);
	return { organisationId: id, slug, owner, actor: actorOf(owner) };
}

/** A city organisation (Nairobi unless told otherwise), its owner and one need. */
export function cityWithNeed(
	db: Db,
	overrides: { need?: Record<string, unknown>; now?: Date } & OrganisationOptions = {}
) {
	const { need, now, ...organisation } = overrides;
	const city = makeOrganisation(db, { kind: 'city', ...organisation });
	const { id } = listings.createNeed(db, city.actor, city.organisationId, needInput(need), now);
	return { ...city, needId: id };
}

/** A partner organisation (an NGO in France unless told otherwise), its owner and one offer. */
export function partnerWithOffer(
	db: Db,
	overrides: { offer?: Record<string, unknown>; now?: Date } & OrganisationOptions = {}
) {
	const { offer, now, ...organisation } = overrides;
	const partner = makeOrganisation(db, { kind: 'ngo', ...organisation });
	const { id } = listings.createOffer(
		db,
		partner.actor,
		partner.organisationId,
		offerInput(offer),
		now
	);
	return { ...partner, offerId: id };
}
