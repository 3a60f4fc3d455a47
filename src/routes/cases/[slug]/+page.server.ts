import { error, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { getLocale, localizeHref } from '$lib/paraglide/runtime';
import type { Action as PolicyAction } from '$lib/server/auth/policy';
import { rateLimitedFailure } from '$lib/server/auth/form-actions';
import { actorOf } from '$lib/server/auth/guards';
import * as rateLimit from '$lib/server/auth/rate-limit';
import * as caseStudies from '$lib/server/case-studies';
import { authorizeOnCase } from '$lib/server/case-studies/access';
import * as freshness from '$lib/server/case-studies/freshness';
import * as reports from '$lib/server/case-studies/reports';
import * as validations from '$lib/server/case-studies/validations';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm, type FormEcho } from '$lib/server/forms';
import * as memberships from '$lib/server/memberships';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import { sdgTargetTexts } from '$lib/vocab/sdg-texts';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

/** Anonymous reports are the one write open to anyone: a few an hour per address is plenty. */
const reportLimit: rateLimit.Limit = { max: 10, windowMs: 60 * 60 * 1000 };

export const load: PageServerLoad = ({ params, locals, url }) => {
	const db = appDb();
	const actor = actorOf(locals);
	const found = caseStudies.getBySlug(db, actor, params.slug);
	if (!found) error(404, m.cases_not_found());
	const locale = getLocale();
	const isPublished = found.workflowState === 'published';

	const mySlugs = new Set(
		actor ? memberships.organisationsOf(db, actor.id).map((o) => o.slug) : []
	);
	const isOwnerMember = mySlugs.has(found.organisation.slug);
	const validators = isPublished
		? validations.organisationsThatMayValidate(db, actor, found.id).map((organisation) => ({
				...organisation,
				existing: found.validations.find((v) => v.organisationId === organisation.id) ?? null,
				replicationChoices: caseStudies
					.listForOrganisation(db, actor, organisation.id)
					.filter((row) => row.workflowState !== 'archived' && row.id !== found.id)
					.map((row) => ({ slug: row.slug, title: row.title }))
			}))
		: [];
	const languageNames = new Intl.DisplayNames([locale], { type: 'language' });

	return {
		caseStudy: {
			slug: found.slug,
			title: found.title,
			summary: found.summary,
			workflowState: found.workflowState,
			// Feedback is for the authors; only they (and moderators) see unpublished cases.
			moderatorFeedback: isPublished ? null : found.moderatorFeedback,
			organisation: {
				slug: found.organisation.slug,
				name: found.organisation.name,
				isVerified: found.organisation.verificationState === 'verified'
			},
			country: {
				code: found.country.code,
				name: locale === 'fr' ? found.country.nameFr : found.country.nameEn
			},
			cityName: found.cityName,
			startYear: found.startYear,
			endYear: found.endYear,
			status: found.status,
			budget: found.budget,
			fundingModels: found.fundingModels,
			themes: found.themes,
			sdgTargets: found.sdgTargets.map((id) => ({ id, officialText: sdgTargetTexts(id)[locale] })),
			domains: found.domains,
			technologies: found.technologies,
			beneficiaryGroups: found.beneficiaryGroups,
			stakeholders: found.stakeholders,
			results: found.results,
			images: found.images,
			html: found.html,
			standards: found.standards,
			sources: found.sources,
			language: found.language,
			languageName: languageNames.of(found.language) ?? found.language,
			licence: found.licence,
			lastReviewedAt: found.lastReviewedAt,
			publishedAt: found.publishedAt,
			updatedAt: found.updatedAt,
			outOfDate: found.outOfDate,
			validationCounts: found.validationCounts,
			validations: found.validations.map((validation) => ({
				organisationSlug: validation.organisationSlug,
				organisationName: validation.organisationName,
				kind: validation.kind,
				note: validation.note,
				replicationSlug: validation.replicationSlug,
				replicationTitle: validation.replicationTitle,
				updatedAt: validation.updatedAt,
				// Only the viewer's own organisations' validations carry the id the remove form needs.
				removableBy: mySlugs.has(validation.organisationSlug) ? validation.organisationId : null
			}))
		},
		permissions: found.permissions,
		isModerator: actor?.siteRole === 'moderator' || actor?.siteRole === 'admin',
		isSignedIn: actor !== null,
		isOwnerMember,
		validators: validators.map(({ existing, ...organisation }) => ({
			...organisation,
			existing: existing
				? {
						kind: existing.kind,
						note: existing.note,
						replicationSlug: existing.replicationSlug
					}
				: null
		})),
		origin: config.origin,
		cameFromPartnership: partnerships.partnershipOfCaseStudy(db, actor, found.id),
		done: url.searchParams.get('done')
	};
};

type Found = {
	db: ReturnType<typeof appDb>;
	actor: ReturnType<typeof actorOf>;
	caseStudy: caseStudies.CaseStudyDetail;
};

/** The case the action is about, or 404 when it is missing or hidden from the actor. */
function caseFor(event: RequestEvent): Found {
	const db = appDb();
	const actor = actorOf(event.locals);
	const caseStudy = caseStudies.getBySlug(db, actor, event.params.slug);
	if (!caseStudy) error(404, m.cases_not_found());
	return { db, actor, caseStudy };
}

const noInput = z.object({});
const archiveInput = z.object({
	confirm: z.literal('yes', { error: () => m.casepage_archive_confirm_required() })
});
const removeValidationInput = z.object({
	organisationId: z
		.string({ error: () => m.cases_validation_not_member() })
		.min(1, { error: () => m.cases_validation_not_member() })
		.max(64, { error: () => m.cases_validation_not_member() })
});

/**
 * Runs one action on the case: policy check (when the action has one), parse, domain call
 * (which checks again and enforces the workflow), then back to the page with a notice.
 * A broken rule answers with its status, its message and what was typed.
 */
async function act<S extends z.ZodType>(
	event: RequestEvent,
	options: {
		policy?: PolicyAction;
		signedIn?: boolean;
		schema: S;
		run: (
			found: Found,
			data: z.output<S>,
			echo: FormEcho
		) => string | ReturnType<typeof formFailure>;
	}
) {
	const found = caseFor(event);
	if (options.signedIn && !found.actor) error(401, m.cases_forbidden());
	if (options.policy) authorizeOnCase(found.db, found.actor, options.policy, found.caseStudy);
	const parsed = parseForm(options.schema, await event.request.formData());
	if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
	let outcome: ReturnType<typeof options.run>;
	try {
		outcome = options.run(found, parsed.data, parsed.echo);
	} catch (failure) {
		return organisations.ruleFailure(failure, parsed.echo);
	}
	if (typeof outcome !== 'string') return outcome;
	redirect(303, localizeHref(`/cases/${found.caseStudy.slug}?done=${outcome}`));
}

export const actions: Actions = {
	submit: (event) =>
		act(event, {
			policy: 'case_study:submit',
			schema: noInput,
			run: ({ db, actor, caseStudy }) => {
				caseStudies.submit(db, actor, caseStudy.id);
				return 'submitted';
			}
		}),
	withdraw: (event) =>
		act(event, {
			policy: 'case_study:submit',
			schema: noInput,
			run: ({ db, actor, caseStudy }) => {
				caseStudies.withdraw(db, actor, caseStudy.id);
				return 'withdrawn';
			}
		}),
	publish: (event) =>
		act(event, {
			policy: 'case_study:publish',
			schema: noInput,
			run: ({ db, actor, caseStudy }) => {
				caseStudies.publish(db, actor, caseStudy.id);
				return 'published';
			}
		}),
	archive: (event) =>
		act(event, {
			policy: 'case_study:archive',
			schema: archiveInput,
			run: ({ db, actor, caseStudy }) => {
				caseStudies.archive(db, actor, caseStudy.id);
				return 'archived';
			}
		}),
	reviewed: (event) =>
		act(event, {
			policy: 'case_study:edit',
			schema: noInput,
			run: ({ db, actor, caseStudy }) => {
				freshness.markReviewed(db, actor, caseStudy.id);
				return 'reviewed';
			}
		}),
	validate: (event) =>
		act(event, {
			signedIn: true,
			schema: caseStudies.validationInput,
			run: ({ db, actor, caseStudy }, data) => {
				const { created } = validations.recordValidation(db, actor, caseStudy.id, data);
				return created ? 'validated' : 'validation_updated';
			}
		}),
	removeValidation: (event) =>
		act(event, {
			signedIn: true,
			schema: removeValidationInput,
			run: ({ db, actor, caseStudy }, data) => {
				validations.removeValidation(db, actor, caseStudy.id, data.organisationId);
				return 'validation_removed';
			}
		}),
	report: (event) =>
		act(event, {
			schema: caseStudies.reportInput,
			run: ({ db, actor, caseStudy }, data, echo) => {
				const allowed = rateLimit.consume(
					db,
					`case-report:${event.getClientAddress()}`,
					reportLimit,
					config.rateLimitScale
				);
				if (!allowed.allowed) return rateLimitedFailure(event, echo, allowed.retryAfterSeconds);
				reports.reportProblem(db, actor?.id ?? null, caseStudy.id, data);
				return 'reported';
			}
		})
};
