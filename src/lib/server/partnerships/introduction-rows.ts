import { eq, type SQL } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '$lib/server/auth/policy';
import * as table from '$lib/server/db/schema';
import * as listings from '$lib/server/needs-offers';
import type { Executor } from '$lib/server/organisations';
import type { IntroductionStatus } from '$lib/vocab/matchmaking';

/** The need, offer and organisation columns introductions work with. */

export function needById(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.need.id,
				title: table.need.title,
				organisationId: table.need.organisationId,
				visibility: table.need.visibility,
				status: table.need.status,
				expiresAt: table.need.expiresAt
			})
			.from(table.need)
			.where(eq(table.need.id, id))
			.get() ?? null
	);
}

export function offerById(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.offer.id,
				title: table.offer.title,
				organisationId: table.offer.organisationId,
				visibility: table.offer.visibility,
				status: table.offer.status,
				deadline: table.offer.deadline
			})
			.from(table.offer)
			.where(eq(table.offer.id, id))
			.get() ?? null
	);
}

export type NeedRow = NonNullable<ReturnType<typeof needById>>;
export type OfferRow = NonNullable<ReturnType<typeof offerById>>;

/** A need takes introductions while open or in discussion, until it expires. */
export const needTakesIntroductions = (need: Pick<NeedRow, 'status' | 'expiresAt'>, now: Date) =>
	(need.status === 'open' || need.status === 'in_discussion') &&
	!listings.isNeedExpired(need.expiresAt, now);

/** An offer takes introductions while open, up to the end of its deadline day. */
export const offerTakesIntroductions = (offer: Pick<OfferRow, 'status' | 'deadline'>, now: Date) =>
	offer.status === 'open' && !listings.isOfferExpired(offer.deadline, now);

export function organisationBy(db: Executor, where: SQL) {
	return (
		db
			.select({
				id: table.organisation.id,
				slug: table.organisation.slug,
				name: table.organisation.name
			})
			.from(table.organisation)
			.where(where)
			.get() ?? null
	);
}

export const organisationName = (db: Executor, id: string) =>
	organisationBy(db, eq(table.organisation.id, id))?.name ?? '';

/**
 * What a notification calls the introduction: the title of the listing that belongs to the
 * organisation told (its own, so it always may see it), or else the need's or the offer's.
 */
export function subjectFor(
	need: Pick<NeedRow, 'title' | 'organisationId'> | null,
	offer: Pick<OfferRow, 'title' | 'organisationId'> | null,
	toldOrganisationId: string
): string {
	const own = [need, offer].find((listing) => listing?.organisationId === toldOrganisationId);
	return (own ?? need ?? offer)?.title ?? '';
}

/** The rule restricted listings follow everywhere, for the actor. */
export function listingViewer(db: Executor, actor: Actor) {
	const viewer = listings.viewerOf(db, actor);
	return (listing: { visibility: NeedRow['visibility']; organisationId: string }) =>
		listings.canSee(viewer, listing);
}

export function introductionStatusLabel(status: IntroductionStatus): string {
	switch (status) {
		case 'pending':
			return m.partnerships_introduction_status_pending();
		case 'accepted':
			return m.partnerships_introduction_status_accepted();
		case 'declined':
			return m.partnerships_introduction_status_declined();
		case 'withdrawn':
			return m.partnerships_introduction_status_withdrawn();
	}
}
