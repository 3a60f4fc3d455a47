import { eq } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as partnerships from '../../src/lib/server/partnerships';
import type { PartnershipStatus } from '../../src/lib/vocab/matchmaking';
import { cityWithNeed, partnerWithOffer, type OrganisationOptions } from './listing-fixtures';

/**
 * Introductions and partnerships for tests, written through the domain functions (the code the
 * pages call). `introducedPair` makes a city with a need, a partner with an offer and a pending
 * introduction; `partnershipAt` carries it on to a partnership at any status.
 */

export const introductionMessage =
	'We ran this training in three cities last year and would like to discuss yours.';

export type IntroducedPair = ReturnType<typeof introducedPair>;

/**
 * A city (owner, need) and a partner (owner, offer), and an introduction from `requestedBy`
 * (the partner by default) about the need and the offer, still pending.
 */
export function introducedPair(
	db: Db,
	options: {
		requestedBy?: 'city' | 'partner';
		city?: OrganisationOptions & { need?: Record<string, unknown> };
		partner?: OrganisationOptions & { offer?: Record<string, unknown> };
		now?: Date;
	} = {}
) {
	const city = cityWithNeed(db, { ...options.city, now: options.now });
	const partner = partnerWithOffer(db, { ...options.partner, now: options.now });
	const asker = options.requestedBy === 'city' ? city : partner;
	const { id: introductionId } = partnerships.requestIntroduction(
		db,
		asker.actor,
		{
			fromOrganisationId: asker.organisationId,
			needId: city.needId,
			offerId: partner.offerId,
			message: introductionMessage
		},
		options.now
	);
	const asked = asker === city ? partner : city;
	return { city, partner, asker, asked, introductionId };
}

/** The steps from proposed to each status. */
const pathTo: Record<PartnershipStatus, PartnershipStatus[]> = {
	proposed: [],
	agreed: ['agreed'],
	active: ['agreed', 'active'],
	completed: ['agreed', 'active', 'completed'],
	discontinued: ['discontinued']
};

export const sampleResult = {
	indicator: 'Households warned before a flood',
	baseline: '0',
	result: '4200',
	unit: 'households',
	year: 2025
};

/**
 * A partnership at the given status, from an accepted introduction (city = beneficiary, partner
 * = lead). Reaching `completed` records `sampleResult` first (completing needs a result);
 * `discontinued` goes there from proposed with a reason. `public: true` has every party consent.
 */
export function partnershipAt(
	db: Db,
	status: PartnershipStatus = 'proposed',
	options: Parameters<typeof introducedPair>[1] & { public?: boolean; now?: Date } = {}
) {
	const pair = introducedPair(db, options);
	const { partnershipId } = partnerships.respondToIntroduction(
		db,
		pair.asked.actor,
		pair.introductionId,
		{ decision: 'accept', note: 'Happy to work together.' },
		options.now
	);
	const id = partnershipId!;
	for (const step of pathTo[status]) {
		if (step === 'completed') {
			partnerships.saveResults(db, pair.city.actor, id, [sampleResult], options.now);
		}
		partnerships.changeStatus(
			db,
			pair.city.actor,
			id,
			{ to: step, reason: step === 'discontinued' ? 'The budget line was cut this year.' : '' },
			options.now
		);
	}
	if (options.public) makePublic(db, pair, id);
	return { ...pair, partnershipId: id };
}

/** Every party agrees to publish. */
export function makePublic(
	db: Db,
	pair: Pick<IntroducedPair, 'city' | 'partner'>,
	partnershipId: string
): void {
	for (const side of [pair.city, pair.partner]) {
		partnerships.setConsent(db, side.actor, partnershipId, side.organisationId, true);
	}
}

/** Moves a partnership's last activity back in time (as if nothing happened since). */
export function backdateActivity(db: Db, partnershipId: string, at: Date): void {
	db.update(table.partnership)
		.set({ lastActivityAt: at })
		.where(eq(table.partnership.id, partnershipId))
		.run();
}
