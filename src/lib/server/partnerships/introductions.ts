import { and, eq, isNull, or } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { authorize, type Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import * as notifications from '$lib/server/notifications';
import { RuleError, roleOf, type Executor } from '$lib/server/organisations';
import { memberships } from './access';
import {
	introductionStatusLabel,
	listingViewer,
	needById,
	needTakesIntroductions,
	offerById,
	offerTakesIntroductions,
	organisationBy,
	organisationName,
	subjectFor,
	type NeedRow,
	type OfferRow
} from './introduction-rows';
import { proposePartnership } from './propose';
import {
	introductionRequestInput,
	introductionResponseInput,
	parseInput,
	type IntroductionRequest,
	type IntroductionResponse,
	type Loose
} from './schema';

const invalid = (field: string, message: string, status: 400 | 404 | 409 = 400) =>
	new RuleError(status === 409 ? 'conflict' : 'invalid', message, status, { [field]: message });

/**
 * Asks for an introduction on behalf of `fromOrganisationId`. Who is asked follows from the
 * listings: with a need and an offer, the owner of the one that is not the asker's; with a
 * need only, its owner, or (when the need is the asker's) the partner named by slug; with an
 * offer only, its owner. Refused: listings hidden from the actor (404), closed or expired ones,
 * the asker's own organisation, and a second pending introduction for the same pair and subject.
 */
export function requestIntroduction(
	db: Db,
	actor: Actor,
	input: Loose<IntroductionRequest>,
	now = new Date()
): { id: string } {
	const data = parseInput(introductionRequestInput, input);
	const from = organisationBy(db, eq(table.organisation.id, data.fromOrganisationId));
	authorize(actor, 'introduction:request', {
		organisationRole: from ? roleOf(db, from.id, actor?.id) : null
	});
	if (!from) throw invalid('fromOrganisationId', m.partnerships_organisation_required());
	if (!data.needId && !data.offerId) throw invalid('needId', m.partnerships_target_required());

	const canSee = listingViewer(db, actor);
	const need = data.needId ? needById(db, data.needId) : null;
	if (data.needId && (!need || !canSee(need))) {
		throw invalid('needId', m.partnerships_need_not_found(), 404);
	}
	const offer = data.offerId ? offerById(db, data.offerId) : null;
	if (data.offerId && (!offer || !canSee(offer))) {
		throw invalid('offerId', m.partnerships_offer_not_found(), 404);
	}

	const toId = askedOrganisation(db, from.id, need, offer, data.toOrganisationSlug);
	if (toId === from.id) throw invalid('form', m.partnerships_own_organisation());
	if (need && !needTakesIntroductions(need, now)) {
		throw invalid('needId', m.partnerships_need_closed(), 409);
	}
	if (offer && !offerTakesIntroductions(offer, now)) {
		throw invalid('offerId', m.partnerships_offer_closed(), 409);
	}

	return db.transaction((tx) => {
		const pending = tx
			.select({ id: table.introduction.id })
			.from(table.introduction)
			.where(
				and(
					eq(table.introduction.status, 'pending'),
					or(
						and(
							eq(table.introduction.fromOrganisationId, from.id),
							eq(table.introduction.toOrganisationId, toId)
						),
						and(
							eq(table.introduction.fromOrganisationId, toId),
							eq(table.introduction.toOrganisationId, from.id)
						)
					),
					need ? eq(table.introduction.needId, need.id) : isNull(table.introduction.needId),
					offer ? eq(table.introduction.offerId, offer.id) : isNull(table.introduction.offerId)
				)
			)
			.get();
		if (pending) throw invalid('form', m.partnerships_duplicate_pending(), 409);
		const id = randomId();
		tx.insert(table.introduction)
			.values({
				id,
				needId: need?.id ?? null,
				offerId: offer?.id ?? null,
				fromOrganisationId: from.id,
				toOrganisationId: toId,
				requestedBy: actor.id,
				message: data.message,
				createdAt: now
			})
			.run();
		notifications.notifyOrganisation(
			tx,
			toId,
			{
				kind: 'introduction_requested',
				params: { organisation: from.name, subject: subjectFor(need, offer, toId) },
				path: '/introductions',
				detail: data.message
			},
			{ exceptUserId: actor.id }
		);
		return { id };
	});
}

function askedOrganisation(
	db: Executor,
	fromId: string,
	need: NeedRow | null,
	offer: OfferRow | null,
	toSlug: string | null
): string {
	if (need && offer) {
		if (need.organisationId === fromId && offer.organisationId === fromId) {
			throw invalid('form', m.partnerships_own_organisation());
		}
		if (need.organisationId === fromId) return offer.organisationId;
		if (offer.organisationId === fromId) return need.organisationId;
		throw invalid('form', m.partnerships_not_your_listing());
	}
	const listing = (need ?? offer)!;
	if (listing.organisationId !== fromId) return listing.organisationId;
	if (!toSlug) throw invalid('toOrganisationSlug', m.partnerships_target_required());
	const target = organisationBy(db, eq(table.organisation.slug, toSlug));
	if (!target) throw invalid('toOrganisationSlug', m.partnerships_organisation_not_found(), 404);
	return target.id;
}

function introductionRow(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.introduction.id,
				status: table.introduction.status,
				needId: table.introduction.needId,
				offerId: table.introduction.offerId,
				fromOrganisationId: table.introduction.fromOrganisationId,
				toOrganisationId: table.introduction.toOrganisationId
			})
			.from(table.introduction)
			.where(eq(table.introduction.id, id))
			.get() ?? null
	);
}
type IntroductionRow = NonNullable<ReturnType<typeof introductionRow>>;

const introductionNotFound = () =>
	new RuleError('not_found', m.partnerships_introduction_not_found(), 404);

/**
 * Loads an introduction for an answer by one side: signed out 401; not involved 404; a member of
 * the other side only 403.
 */
function requireSide(
	db: Executor,
	actor: Actor,
	id: string,
	side: 'fromOrganisationId' | 'toOrganisationId'
): { row: IntroductionRow; actor: NonNullable<Actor> } {
	if (!actor) authorize(actor, 'introduction:respond');
	const row = introductionRow(db, id);
	const memberOf = memberships(db, actor);
	if (!row || (!memberOf.has(row.fromOrganisationId) && !memberOf.has(row.toOrganisationId))) {
		throw introductionNotFound();
	}
	authorize(actor, side === 'toOrganisationId' ? 'introduction:respond' : 'introduction:request', {
		organisationRole: roleOf(db, row[side], actor.id)
	});
	if (row.status !== 'pending') {
		throw new RuleError(
			'answered',
			m.partnerships_introduction_answered({ status: introductionStatusLabel(row.status) }),
			409
		);
	}
	return { row, actor };
}

/**
 * The asked side accepts (a partnership is proposed: the need's city as beneficiary, the other
 * side as lead partner, tags copied from the need and the offer, the need now in discussion) or
 * declines with a note. The asking side is told either way.
 */
export function respondToIntroduction(
	db: Db,
	actor: Actor,
	id: string,
	input: Loose<IntroductionResponse>,
	now = new Date()
): { partnershipId: string | null } {
	const data = parseInput(introductionResponseInput, input);
	const { row, actor: responder } = requireSide(db, actor, id, 'toOrganisationId');
	return db.transaction((tx) => {
		const need = row.needId ? needById(tx, row.needId) : null;
		const offer = row.offerId ? offerById(tx, row.offerId) : null;
		const subject = subjectFor(need, offer, row.fromOrganisationId);
		const partnershipId =
			data.decision === 'accept'
				? proposePartnership(tx, responder, row, need, offer, data.note, now)
				: null;
		tx.update(table.introduction)
			.set({
				status: data.decision === 'accept' ? 'accepted' : 'declined',
				responseNote: data.note || null,
				respondedBy: responder.id,
				respondedAt: now,
				partnershipId
			})
			.where(eq(table.introduction.id, row.id))
			.run();
		notifications.notifyOrganisation(
			tx,
			row.fromOrganisationId,
			{
				kind: partnershipId ? 'introduction_accepted' : 'introduction_declined',
				params: { organisation: organisationName(tx, row.toOrganisationId), subject },
				path: partnershipId ? `/partnerships/${partnershipId}` : '/introductions',
				detail: data.note
			},
			{ exceptUserId: responder.id }
		);
		return { partnershipId };
	});
}

/** The asking side takes back a request that is still waiting; the asked side is told. */
export function withdrawIntroduction(db: Db, actor: Actor, id: string, now = new Date()): void {
	const { row, actor: asker } = requireSide(db, actor, id, 'fromOrganisationId');
	db.transaction((tx) => {
		tx.update(table.introduction)
			.set({ status: 'withdrawn', respondedAt: now })
			.where(eq(table.introduction.id, row.id))
			.run();
		const need = row.needId ? needById(tx, row.needId) : null;
		const offer = row.offerId ? offerById(tx, row.offerId) : null;
		const subject = subjectFor(need, offer, row.toOrganisationId);
		notifications.notifyOrganisation(
			tx,
			row.toOrganisationId,
			{
				kind: 'introduction_withdrawn',
				params: { organisation: organisationName(tx, row.fromOrganisationId), subject },
				path: '/introductions'
			},
			{ exceptUserId: asker.id }
		);
	});
}
