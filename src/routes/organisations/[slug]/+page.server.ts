import { error } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { getLocale } from '$lib/paraglide/runtime';
import { can } from '$lib/server/auth/policy';
import { actorOf } from '$lib/server/auth/guards';
import { profileListings } from '$lib/components/listings/listing-list.server';
import * as caseStudies from '$lib/server/case-studies';
import { config } from '$lib/server/config';
import { appDb } from '$lib/server/db/app';
import * as openData from '$lib/server/open-data';
import * as organisations from '$lib/server/organisations';
import * as partnerships from '$lib/server/partnerships';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const db = appDb();
	const profile = organisations.profile(db, params.slug);
	if (!profile) error(404, m.organisations_not_found());
	const actor = actorOf(locals);
	const role = organisations.roleOf(db, profile.id, actor?.id);
	const context = { organisationRole: role };
	const languageNames = new Intl.DisplayNames([getLocale()], { type: 'language' });
	return {
		organisation: {
			slug: profile.slug,
			name: profile.name,
			kind: profile.kind,
			website: profile.website,
			description: profile.description,
			languages: profile.languages.map((code) => ({ code, label: languageNames.of(code) ?? code })),
			isVerified: profile.verificationState === 'verified',
			verifiedAt: profile.verifiedAt,
			createdAt: profile.createdAt,
			country: {
				code: profile.country.code,
				name: getLocale() === 'fr' ? profile.country.nameFr : profile.country.nameEn,
				regionCode: profile.country.regionCode,
				regionName: profile.country.regionName,
				subregionCode: profile.country.subregionCode,
				incomeGroup: profile.country.incomeGroup,
				isLdc: profile.country.isLdc
			},
			city: profile.city,
			memberCount: profile.memberCount
		},
		role,
		canEdit: can(actor, 'organisation:edit', context),
		canManageMembers: can(actor, 'organisation:manage_members', context),
		canSeeMembers: can(actor, 'organisation:leave', context),
		canRequestVerification: can(actor, 'organisation:request_verification', context),
		cases: caseStudies.listForOrganisation(db, actor, profile.id).map((row) => ({
			slug: row.slug,
			title: row.title,
			summary: row.summary,
			workflowState: row.workflowState,
			moderatorFeedback: row.moderatorFeedback,
			// Only published cases can be validated.
			validationCount: row.workflowState === 'published' ? row.validationCount : undefined
		})),
		partnerships: partnerships
			.partnershipsOfOrganisation(db, actor, profile.id)
			.map(({ id, title, status, isPublic, isStale, lastActivityAt, parties, sdgTargets }) => ({
				id,
				title,
				status,
				isPublic,
				isStale,
				lastActivityAt,
				parties,
				sdgTargets
			})),
		canSeePrivatePartnerships: can(actor, 'partnership:view_private', context),
		listings: profileListings(db, actor, profile, role),
		canSeeUnpublishedCases: can(actor, 'case_study:view_unpublished', context),
		canWriteCase: can(actor, 'case_study:create', context),
		jsonLd: openData.organisationPageJsonLd(profile, config.origin)
	};
};
