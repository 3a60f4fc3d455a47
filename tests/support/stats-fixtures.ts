import { readFileSync } from 'node:fs';
import type { Db } from '../../src/lib/server/db';
import * as caseStudies from '../../src/lib/server/case-studies';
import { makeOrganisation } from './listing-fixtures';
import { makeUser, type TestUser } from './org-fixtures';

/**
 * Case studies and organisations in any country for the insights tests, written through the
 * domain functions (the code the editor and the moderation queue call).
 */

const demo = JSON.parse(readFileSync('db/demo/case-studies.json', 'utf8')) as Record<
	string,
	unknown
>[];

/** The most populous city of the gazetteer in that country (a city organisation needs one). */
export function largestCity(db: Db, country: string): number {
	const row = db.$client
		.prepare('SELECT id FROM city WHERE country_code = ? ORDER BY population DESC LIMIT 1')
		.get(country) as { id: number } | undefined;
	if (!row) throw new Error(`no city in ${country} in the gazetteer`);
	return row.id;
}

/** A city (with its largest city) or a partner organisation in the country. */
export function organisationIn(
	db: Db,
	country: string,
	options: { kind?: 'city' | 'ngo' | 'academia'; verified?: boolean; owner?: TestUser } = {}
) {
	const kind = options.kind ?? 'city';
	return makeOrganisation(db, {
		kind,
		country,
		city: kind === 'city' ? largestCity(db, country) : null,
		verified: options.verified,
		owner: options.owner
	});
}

export type CaseState = 'draft' | 'submitted' | 'published' | 'archived';

/**
 * A case study of the organisation, tagged and placed as given, brought to `state` by a moderator
 * (`at` is when it was published).
 */
export function caseStudyIn(
	db: Db,
	owner: ReturnType<typeof organisationIn>,
	moderator: TestUser,
	options: {
		themes: string[];
		sdgTargets: string[];
		country?: string;
		state?: CaseState;
		at?: Date;
	}
): string {
	const state = options.state ?? 'published';
	const input = caseStudies.caseStudyInput.parse({
		...demo[0],
		stakeholders: [{ name: 'City office', role: 'Lead', organisation: null }],
		themes: options.themes,
		sdgTargets: options.sdgTargets,
		countryCode: options.country ?? '',
		cityId: null
	});
	const { id } = caseStudies.createDraft(db, owner.actor, {
		organisationId: owner.organisationId,
		input,
		now: options.at
	});
	const moderatorActor = { id: moderator.id, siteRole: moderator.siteRole };
	if (state === 'submitted') caseStudies.submit(db, owner.actor, id, options.at);
	if (state === 'published' || state === 'archived') {
		caseStudies.publish(db, moderatorActor, id, options.at);
	}
	if (state === 'archived') caseStudies.archive(db, moderatorActor, id, options.at);
	return id;
}

export const makeModerator = (db: Db) => makeUser(db, 'moderator', 'moderator');
