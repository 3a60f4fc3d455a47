import { redirect } from '@sveltejs/kit';
import { getLocale, localizeHref } from '$lib/paraglide/runtime';
import { authorize, can } from '$lib/server/auth/policy';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import { formFailure, parseForm } from '$lib/server/forms';
import * as audit from '$lib/server/audit';
import * as caseStudies from '$lib/server/case-studies';
import * as caseModeration from '$lib/server/case-studies/moderation';
import * as caseReports from '$lib/server/case-studies/reports';
import * as organisations from '$lib/server/organisations';
import * as verification from '$lib/server/verification';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	const actor = actorOf(event.locals);
	authorize(actor, 'moderation:view');
	const db = appDb();
	const french = getLocale() === 'fr';
	return {
		pending: verification.pendingRequests(db).map((request) => ({
			id: request.id,
			createdAt: request.createdAt,
			officialEmail: request.officialEmail,
			evidenceUrl: request.evidenceUrl,
			note: request.note,
			organisationName: request.organisationName,
			organisationSlug: request.organisationSlug,
			organisationKind: request.organisationKind,
			website: request.website,
			countryName: french ? request.countryNameFr : request.countryNameEn,
			requesterName: request.requesterName,
			requesterEmail: request.requesterEmail,
			emailMatchesWebsite: request.emailMatchesWebsite
		})),
		canDecide: can(actor, 'verification:decide'),
		submittedCases: caseStudies.submittedCases(db, actor),
		openReports: caseReports.openReports(db, actor).map((report) => ({
			id: report.id,
			reasonLabel: caseReports.reportReasonLabel(report.reason),
			message: report.message,
			reporterEmail: report.reporterEmail,
			reporterName: report.reporterName,
			createdAt: report.createdAt,
			caseSlug: report.caseSlug,
			caseTitle: report.caseTitle
		})),
		resolvedReports: caseReports.resolvedReports(db, actor, 10).map((report) => ({
			id: report.id,
			reasonLabel: caseReports.reportReasonLabel(report.reason),
			caseSlug: report.caseSlug,
			caseTitle: report.caseTitle,
			resolvedAt: report.resolvedAt
		})),
		audit: can(actor, 'audit:view')
			? audit.recentEntries(db, 50).map((entry) => ({
					id: entry.id,
					action: entry.action,
					subjectType: entry.subjectType,
					subjectId: entry.subjectId,
					subjectName:
						entry.organisationName ??
						(typeof entry.detail?.title === 'string' ? entry.detail.title : null),
					subjectSlug: entry.organisationSlug,
					reason:
						typeof entry.detail?.reason === 'string'
							? entry.detail.reason
							: typeof entry.detail?.feedback === 'string'
								? entry.detail.feedback
								: null,
					actorName: entry.actorName,
					createdAt: entry.createdAt
				}))
			: [],
		reasonMax: verification.REASON_MAX,
		feedbackMax: caseStudies.FEEDBACK_MAX,
		done: event.url.searchParams.get('done')
	};
};

export const actions: Actions = {
	decide: async (event) => {
		requireUser(event);
		const actor = actorOf(event.locals);
		authorize(actor, 'verification:decide');
		const parsed = parseForm(verification.decisionInput, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		try {
			verification.decide(appDb(), actor, parsed.data, { origin: config.origin });
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, localizeHref(`/moderation?done=${parsed.data.decision}`));
	},
	publishCase: async (event) => {
		requireUser(event);
		const actor = actorOf(event.locals);
		authorize(actor, 'case_study:moderate');
		const parsed = parseForm(caseModeration.publishCaseInput, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, {}, Object.values(parsed.errors)[0]);
		try {
			caseModeration.publishSubmitted(appDb(), actor, parsed.data.caseStudyId);
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, localizeHref('/moderation?done=case-published'));
	},
	rejectCase: async (event) => {
		requireUser(event);
		const actor = actorOf(event.locals);
		authorize(actor, 'case_study:moderate');
		const parsed = parseForm(caseModeration.rejectCaseInput, await event.request.formData());
		if (!parsed.success) {
			const message = parsed.errors.caseStudyId ?? undefined;
			return formFailure(400, parsed.echo, parsed.errors, message);
		}
		try {
			caseModeration.rejectSubmitted(appDb(), actor, parsed.data, { origin: config.origin });
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, localizeHref('/moderation?done=case-rejected'));
	},
	resolveReport: async (event) => {
		requireUser(event);
		const actor = actorOf(event.locals);
		authorize(actor, 'case_study:moderate');
		const parsed = parseForm(caseModeration.resolveReportInput, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, {}, Object.values(parsed.errors)[0]);
		try {
			caseModeration.resolveOpenReport(appDb(), actor, parsed.data.reportId);
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, localizeHref('/moderation?done=report-resolved'));
	}
};
