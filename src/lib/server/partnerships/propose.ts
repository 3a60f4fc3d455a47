import { and, eq, inArray } from 'drizzle-orm';
import type { Actor } from '$lib/server/auth/policy';
import * as table from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import type { Executor } from '$lib/server/organisations';
import * as searchSync from '$lib/server/search/sync';
import { organisationName, type NeedRow, type OfferRow } from './introduction-rows';

/**
 * The partnership an accepted introduction proposes: the need's city as beneficiary (without a
 * need, the side that does not own the offer), the other side as lead partner, the tags of the
 * need and the offer, the acceptance as its first status change; the need is now in discussion.
 */
export function proposePartnership(
	tx: Executor,
	responder: NonNullable<Actor>,
	row: { fromOrganisationId: string; toOrganisationId: string },
	need: NeedRow | null,
	offer: OfferRow | null,
	note: string,
	now: Date
): string {
	const id = randomId();
	// The city whose need it is benefits; without a need, the side that does not own the offer.
	const beneficiaryId = need
		? need.organisationId
		: offer?.organisationId === row.fromOrganisationId
			? row.toOrganisationId
			: row.fromOrganisationId;
	const leadId =
		beneficiaryId === row.fromOrganisationId ? row.toOrganisationId : row.fromOrganisationId;
	tx.insert(table.partnership)
		.values({
			id,
			// The record may become public; a title taken from a restricted listing would not be.
			title:
				publicTitle(need) ??
				publicTitle(offer) ??
				`${organisationName(tx, beneficiaryId)} – ${organisationName(tx, leadId)}`,
			status: 'proposed',
			needId: need?.id ?? null,
			offerId: offer?.id ?? null,
			lastActivityAt: now,
			createdAt: now,
			updatedAt: now
		})
		.run();
	tx.insert(table.partnershipParty)
		.values([
			{ partnershipId: id, organisationId: beneficiaryId, role: 'beneficiary', position: 0 },
			{ partnershipId: id, organisationId: leadId, role: 'lead', position: 1 }
		])
		.run();
	const tags = copiedTags(tx, need?.id ?? null, offer?.id ?? null);
	if (tags.length > 0) {
		tx.insert(table.partnershipTag)
			.values(tags.map((tag) => ({ ...tag, partnershipId: id })))
			.run();
	}
	tx.insert(table.partnershipUpdate)
		.values({
			partnershipId: id,
			organisationId: row.toOrganisationId,
			authorId: responder.id,
			body: note,
			statusFrom: null,
			statusTo: 'proposed',
			createdAt: now
		})
		.run();
	if (need?.status === 'open') {
		tx.update(table.need)
			.set({ status: 'in_discussion', updatedAt: now })
			.where(eq(table.need.id, need.id))
			.run();
		searchSync.refreshRecords(tx, [{ type: 'need', recordId: need.id }], now);
	}
	return id;
}

function publicTitle(listing: NeedRow | OfferRow | null): string | null {
	return listing?.visibility === 'public' ? listing.title : null;
}

const copiedVocabularies = ['theme', 'sdg_target', 'cooperation'] as const;

/** The need's themes, targets and cooperation types, then the offer's not already there. */
function copiedTags(tx: Executor, needId: string | null, offerId: string | null) {
	const fromNeed = needId
		? tx
				.select({ vocabulary: table.needTag.vocabulary, value: table.needTag.value })
				.from(table.needTag)
				.where(eq(table.needTag.needId, needId))
				.orderBy(table.needTag.position)
				.all()
		: [];
	const fromOffer = offerId
		? tx
				.select({ vocabulary: table.offerTag.vocabulary, value: table.offerTag.value })
				.from(table.offerTag)
				.where(
					and(
						eq(table.offerTag.offerId, offerId),
						inArray(table.offerTag.vocabulary, [...copiedVocabularies])
					)
				)
				.orderBy(table.offerTag.position)
				.all()
		: [];
	const seen = new Set<string>();
	const tags: {
		vocabulary: (typeof copiedVocabularies)[number];
		value: string;
		position: number;
	}[] = [];
	for (const tag of [...fromNeed, ...fromOffer]) {
		const key = `${tag.vocabulary}:${tag.value}`;
		if (seen.has(key)) continue;
		seen.add(key);
		tags.push({
			vocabulary: tag.vocabulary as (typeof copiedVocabularies)[number],
			value: tag.value,
			position: tags.length
		});
	}
	return tags;
}
