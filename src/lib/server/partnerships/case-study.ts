import { eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import type { Actor } from '$lib/server/auth/policy';
import * as caseStudies from '$lib/server/case-studies';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { LONG_TEXT_MAX, SUMMARY_MAX } from '$lib/server/case-studies/schema';
import { RuleError } from '$lib/server/organisations';
import type { PartyRole } from '$lib/vocab/matchmaking';
import { requireEditable, speakingFor, type Party } from './access';
import { getPartnership, milestonesOf, resultsOf, tagsOf, updatesOf } from './read';

export function partyRoleLabel(role: PartyRole): string {
	switch (role) {
		case 'beneficiary':
			return m.partnerships_role_beneficiary();
		case 'lead':
			return m.partnerships_role_lead();
		case 'implementing':
			return m.partnerships_role_implementing();
		case 'funding':
			return m.partnerships_role_funding();
		case 'advisory':
			return m.partnerships_role_advisory();
	}
}

const clip = (text: string, max: number) =>
	text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

/**
 * Turns a completed partnership into a draft case study owned by one of the actor's party
 * organisations (the first, or `organisationId`), prefilled from the record: title, summary,
 * the need's challenge as context, milestones as objectives, dated updates as what was done,
 * parties as stakeholders with their roles, themes, targets and results; the place is the
 * beneficiary's. The partnership links to it (`resultingCaseStudyId`). Asking again returns the
 * draft already made, so a repeated click does not make two.
 */
export function draftCaseStudyFrom(
	db: Db,
	actor: Actor,
	id: string,
	options: { organisationId?: string | null; now?: Date } = {}
): { id: string; slug: string; created: boolean } {
	const now = options.now ?? new Date();
	const { row, parties, acting, actor: author } = requireEditable(db, actor, id);
	if (row.status !== 'completed') {
		throw new RuleError('not_completed', m.partnerships_case_study_needs_completed(), 409);
	}
	if (row.resultingCaseStudyId) {
		const existing = db
			.select({ id: table.caseStudy.id, slug: table.caseStudy.slug })
			.from(table.caseStudy)
			.where(eq(table.caseStudy.id, row.resultingCaseStudyId))
			.get();
		if (existing) return { ...existing, created: false };
	}
	const ownerId = speakingFor(acting, options.organisationId);
	const parsed = caseStudies.caseStudyInput.safeParse(prefill(db, id, parties, now));
	if (!parsed.success) {
		throw new RuleError(
			'invalid',
			m.partnerships_case_study_invalid({ problem: parsed.error.issues[0].message }),
			422
		);
	}
	return db.transaction((tx) => {
		// The case-study module writes the draft in a savepoint of this transaction.
		const created = caseStudies.createDraft(tx as unknown as Db, author, {
			organisationId: ownerId,
			input: parsed.data,
			now
		});
		tx.update(table.partnership)
			.set({ resultingCaseStudyId: created.id, updatedAt: now })
			.where(eq(table.partnership.id, id))
			.run();
		return { ...created, created: true };
	});
}

function prefill(db: Db, id: string, parties: Party[], now: Date) {
	const partnership = db
		.select({
			title: table.partnership.title,
			description: table.partnership.description,
			needId: table.partnership.needId,
			agreedAt: table.partnership.agreedAt,
			startedAt: table.partnership.startedAt,
			completedAt: table.partnership.completedAt,
			createdAt: table.partnership.createdAt
		})
		.from(table.partnership)
		.where(eq(table.partnership.id, id))
		.get()!;
	const need = partnership.needId
		? db
				.select({ challenge: table.need.challenge, triedSoFar: table.need.triedSoFar })
				.from(table.need)
				.where(eq(table.need.id, partnership.needId))
				.get()
		: undefined;
	const beneficiary =
		parties.find((party) => party.role === 'beneficiary') ?? parties[0] ?? undefined;
	const place = beneficiary
		? db
				.select({ countryCode: table.organisation.countryCode, cityId: table.organisation.cityId })
				.from(table.organisation)
				.where(eq(table.organisation.id, beneficiary.organisationId))
				.get()
		: undefined;
	const tags = tagsOf(db, [id]).get(id)!;
	const description = oneLine(partnership.description);
	const updates = updatesOf(db, id).filter((update) => update.body.trim() !== '');
	const started = partnership.startedAt ?? partnership.agreedAt ?? partnership.createdAt;
	return {
		title: partnership.title,
		summary: clip(
			description.length >= 20
				? description
				: m.partnerships_case_summary({
						title: partnership.title,
						parties: parties.map((party) => party.name).join(', ')
					}),
			SUMMARY_MAX
		),
		context: clip(
			[need?.challenge ?? '', need?.triedSoFar ?? ''].filter(Boolean).join('\n\n'),
			LONG_TEXT_MAX
		),
		objectives: clip(
			milestonesOf(db, id)
				.map((milestone) => `- ${milestone.title}${milestone.dueOn ? ` (${milestone.dueOn})` : ''}`)
				.join('\n'),
			LONG_TEXT_MAX
		),
		whatWasDone: clip(
			updates
				.map((update) =>
					m.partnerships_case_update_line({
						date: update.createdAt.toISOString().slice(0, 10),
						organisation: update.organisationName ?? '',
						text: clip(oneLine(update.body), 500)
					})
				)
				.join('\n'),
			LONG_TEXT_MAX
		),
		stakeholders: parties.map((party) => ({
			name: party.name,
			role: partyRoleLabel(party.role),
			organisation: party.slug
		})),
		startYear: started.getUTCFullYear(),
		endYear: (partnership.completedAt ?? now).getUTCFullYear(),
		status: 'implemented',
		results: resultsOf(db, id),
		themes: tags.themes,
		sdgTargets: tags.sdgTargets,
		countryCode: place?.countryCode ?? null,
		cityId: place?.cityId ?? null
	};
}

/**
 * The partnership a case study was written up from (its `resultingCaseStudyId`), when the asker
 * may see that partnership; the replication trail's link back.
 */
export function partnershipOfCaseStudy(db: Db, actor: Actor, caseStudyId: string) {
	const row = db
		.select({ id: table.partnership.id })
		.from(table.partnership)
		.where(eq(table.partnership.resultingCaseStudyId, caseStudyId))
		.get();
	const found = row ? getPartnership(db, actor, row.id) : null;
	return found ? { id: found.id, title: found.title } : null;
}
