import { and, eq, inArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { authorize, can, type Actor, type OrganisationRole } from '$lib/server/auth/policy';
import * as table from '$lib/server/db/schema';
import { RuleError, type Executor } from '$lib/server/organisations';

/** The partnership columns the rules need. */
export function partnershipRow(db: Executor, id: string) {
	return (
		db
			.select({
				id: table.partnership.id,
				title: table.partnership.title,
				status: table.partnership.status,
				needId: table.partnership.needId,
				offerId: table.partnership.offerId,
				resultingCaseStudyId: table.partnership.resultingCaseStudyId,
				lastActivityAt: table.partnership.lastActivityAt
			})
			.from(table.partnership)
			.where(eq(table.partnership.id, id))
			.get() ?? null
	);
}
export type PartnershipRow = NonNullable<ReturnType<typeof partnershipRow>>;

/** The parties in their order, with their names. */
export function partiesOf(db: Executor, partnershipId: string) {
	return db
		.select({
			organisationId: table.partnershipParty.organisationId,
			role: table.partnershipParty.role,
			consentsToPublish: table.partnershipParty.consentsToPublish,
			slug: table.organisation.slug,
			name: table.organisation.name,
			kind: table.organisation.kind,
			countryCode: table.organisation.countryCode,
			isVerified: table.organisation.verificationState
		})
		.from(table.partnershipParty)
		.innerJoin(table.organisation, eq(table.organisation.id, table.partnershipParty.organisationId))
		.where(eq(table.partnershipParty.partnershipId, partnershipId))
		.orderBy(table.partnershipParty.position)
		.all()
		.map((party) => ({ ...party, isVerified: party.isVerified === 'verified' }));
}
export type Party = ReturnType<typeof partiesOf>[number];

/** Public only when every party has agreed to publish. */
export const everyPartyConsents = (parties: readonly Pick<Party, 'consentsToPublish'>[]) =>
	parties.length > 0 && parties.every((party) => party.consentsToPublish);

/** The party organisations the actor is a member of, with the actor's role in each. */
export function actingParties(
	db: Executor,
	actor: Actor,
	parties: readonly Pick<Party, 'organisationId'>[]
): { organisationId: string; role: OrganisationRole }[] {
	if (!actor || parties.length === 0) return [];
	const roles = new Map(
		db
			.select({ organisationId: table.membership.organisationId, role: table.membership.role })
			.from(table.membership)
			.where(
				and(
					eq(table.membership.userId, actor.id),
					inArray(
						table.membership.organisationId,
						parties.map((party) => party.organisationId)
					)
				)
			)
			.all()
			.map((row) => [row.organisationId, row.role])
	);
	return parties.flatMap((party) => {
		const role = roles.get(party.organisationId);
		return role ? [{ organisationId: party.organisationId, role }] : [];
	});
}

/** Party members and moderators see every partnership; everyone else only public ones. */
export function canSeePartnership(
	actor: Actor,
	parties: readonly Pick<Party, 'consentsToPublish'>[],
	acting: readonly { role: OrganisationRole }[]
): boolean {
	return (
		everyPartyConsents(parties) ||
		can(actor, 'partnership:view_private', { organisationRole: acting[0]?.role ?? null })
	);
}

export const notFound = () => new RuleError('not_found', m.partnerships_not_found(), 404);

/**
 * Loads a partnership for a change by the actor: 404 when it is missing or hidden from them,
 * then 401/403 through the policy unless they are a member of a party organisation.
 */
export function requireEditable(db: Executor, actor: Actor, id: string) {
	const row = partnershipRow(db, id);
	if (!row) throw notFound();
	const parties = partiesOf(db, id);
	const acting = actingParties(db, actor, parties);
	if (!canSeePartnership(actor, parties, acting)) throw notFound();
	authorize(actor, 'partnership:edit', { organisationRole: acting[0]?.role ?? null });
	return { row, parties, acting, actor };
}

/**
 * Which party organisation the actor speaks for: the one asked for (it must be theirs) or their
 * first party.
 */
export function speakingFor(
	acting: readonly { organisationId: string }[],
	organisationId: string | null | undefined
): string {
	if (!organisationId) return acting[0].organisationId;
	if (!acting.some((party) => party.organisationId === organisationId)) {
		throw new RuleError('not_member', m.partnerships_not_member(), 403, {
			organisationId: m.partnerships_not_member()
		});
	}
	return organisationId;
}

/** The organisations the actor belongs to, with the actor's role in each. */
export function memberships(db: Executor, actor: Actor): Map<string, OrganisationRole> {
	if (!actor) return new Map();
	return new Map(
		db
			.select({ organisationId: table.membership.organisationId, role: table.membership.role })
			.from(table.membership)
			.where(eq(table.membership.userId, actor.id))
			.all()
			.map((row) => [row.organisationId, row.role])
	);
}
