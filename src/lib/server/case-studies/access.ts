import { eq } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import {
	authorize,
	can,
	type Action,
	type Actor,
	type PolicyContext
} from '$lib/server/auth/policy';
import * as table from '$lib/server/db/schema';
import { RuleError, roleOf, type Executor } from '$lib/server/organisations';

/** The columns the workflow needs to decide what may happen to a case study. */
export function caseById(db: Executor, caseStudyId: string) {
	return (
		db
			.select({
				id: table.caseStudy.id,
				slug: table.caseStudy.slug,
				title: table.caseStudy.title,
				organisationId: table.caseStudy.organisationId,
				workflowState: table.caseStudy.workflowState,
				revisionCount: table.caseStudy.revisionCount,
				publishedAt: table.caseStudy.publishedAt,
				verificationState: table.organisation.verificationState
			})
			.from(table.caseStudy)
			.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
			.where(eq(table.caseStudy.id, caseStudyId))
			.get() ?? null
	);
}
export type CaseRow = NonNullable<ReturnType<typeof caseById>>;

/** The actor's role in an organisation and whether that organisation is verified. */
export function organisationContext(
	db: Executor,
	actor: Actor,
	organisationId: string
): PolicyContext {
	const organisation = db
		.select({ state: table.organisation.verificationState })
		.from(table.organisation)
		.where(eq(table.organisation.id, organisationId))
		.get();
	return {
		organisationRole: roleOf(db, organisationId, actor?.id),
		organisationVerified: organisation?.state === 'verified'
	};
}

/** Loads the case or answers "not found" (the same answer whether hidden or missing). */
export function requireCase(db: Executor, caseStudyId: string): CaseRow {
	const row = caseById(db, caseStudyId);
	if (!row) throw new RuleError('not_found', m.cases_not_found(), 404);
	return row;
}

/** Authorizes the action on the case's owner organisation (401 signed out, 403 otherwise). */
export function authorizeOnCase(
	db: Executor,
	actor: Actor,
	action: Action,
	row: Pick<CaseRow, 'organisationId'>
): asserts actor is NonNullable<Actor> {
	authorize(actor, action, organisationContext(db, actor, row.organisationId));
}

/** True when the actor may see an unpublished case: its organisation's members and moderators. */
export function canSeeUnpublished(
	db: Executor,
	actor: Actor,
	row: Pick<CaseRow, 'organisationId'>
): boolean {
	return can(
		actor,
		'case_study:view_unpublished',
		organisationContext(db, actor, row.organisationId)
	);
}

/** What the actor may do with the case, for pages to show the right buttons. */
export function permissionsOn(
	db: Executor,
	actor: Actor,
	row: Pick<CaseRow, 'organisationId' | 'workflowState'>
) {
	const context = organisationContext(db, actor, row.organisationId);
	const state = row.workflowState;
	return {
		edit: state !== 'archived' && can(actor, 'case_study:edit', context),
		submit: state === 'draft' && can(actor, 'case_study:submit', context),
		publish:
			(state === 'draft' || state === 'submitted') && can(actor, 'case_study:publish', context),
		reject: state === 'submitted' && can(actor, 'case_study:moderate', context),
		archive: state === 'published' && can(actor, 'case_study:archive', context),
		markReviewed: state !== 'archived' && can(actor, 'case_study:edit', context),
		history: can(actor, 'case_study:view_unpublished', context)
	};
}
export type CasePermissions = ReturnType<typeof permissionsOn>;

export function stateLabel(state: CaseRow['workflowState']): string {
	const labels = {
		draft: m.cases_state_draft,
		submitted: m.cases_state_submitted,
		published: m.cases_state_published,
		archived: m.cases_state_archived
	};
	return labels[state]();
}

export function wrongState(state: CaseRow['workflowState']): RuleError {
	return new RuleError('wrong_state', m.cases_wrong_state({ state: stateLabel(state) }), 409);
}

/** The case named by a slug, or null when it does not exist or is hidden from the actor. */
export function visibleCaseBySlug(db: Executor, actor: Actor, slug: string): CaseRow | null {
	const found = db
		.select({ id: table.caseStudy.id })
		.from(table.caseStudy)
		.where(eq(table.caseStudy.slug, slug))
		.get();
	const row = found ? caseById(db, found.id) : null;
	if (!row) return null;
	if (row.workflowState !== 'published' && !canSeeUnpublished(db, actor, row)) return null;
	return row;
}
