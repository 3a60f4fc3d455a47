import { redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import * as apiTokens from '$lib/server/api-tokens';
import * as rateLimit from '$lib/server/auth/rate-limit';
import { config } from '$lib/server/config';
import { formFailure, parseForm } from '$lib/server/forms';
import * as organisations from '$lib/server/organisations';
import { organisationFor } from '../access';
import { rememberIssued, takeIssued } from './issued-token.server';
import type { Actions, PageServerLoad } from './$types';

const revokeInput = z.object({
	id: z
		.string({ error: () => m.apitokens_not_found() })
		.min(1, { error: () => m.apitokens_not_found() })
		.max(64, { error: () => m.apitokens_not_found() }),
	confirm: z.literal('yes', { error: () => m.apitokens_confirm_required() })
});

const scaledMax = (limit: rateLimit.Limit) =>
	Math.max(1, Math.floor(limit.max * config.rateLimitScale));

/** The page's own path in the request's language: the redirect target and the cookie's scope. */
const pagePath = (slug: string) => localizeHref(`/organisations/${slug}/api-tokens`);

export const load: PageServerLoad = (event) => {
	const { db, actor, organisation } = organisationFor(event, 'api_token:manage');
	// The page may carry a just-issued token: no cache may keep it.
	event.setHeaders({ 'cache-control': 'no-store' });
	const tokens = apiTokens.list(db, actor, organisation.id);
	const issued = takeIssued(event.cookies, pagePath(organisation.slug));
	// Shown only for this organisation's own, still active token, as the cookie named it.
	const shown = issued
		? tokens.find(
				(token) =>
					token.id === issued.id &&
					token.state === 'active' &&
					issued.token.startsWith(token.prefix)
			)
		: undefined;
	return {
		organisation: { slug: organisation.slug, name: organisation.name },
		created: shown && issued ? { id: shown.id, name: shown.name, token: issued.token } : null,
		tokens: tokens.map((token) => ({
			id: token.id,
			name: token.name,
			prefix: token.prefix,
			createdByName: token.createdByName,
			createdAt: token.createdAt,
			lastUsedAt: token.lastUsedAt,
			expiresAt: token.expiresAt,
			revokedAt: token.revokedAt,
			revokedByName: token.revokedByName,
			state: token.state
		})),
		nameMax: apiTokens.NAME_MAX,
		expiryMaxYears: apiTokens.EXPIRY_MAX_YEARS,
		limits: {
			perToken: scaledMax(rateLimit.limits.apiPerToken),
			anonymous: scaledMax(rateLimit.limits.apiAnonymousPerIp)
		},
		origin: config.origin,
		done: event.url.searchParams.get('done')
	};
};

export const actions: Actions = {
	/**
	 * Issues a token, hands it to the next page load in a flash cookie and redirects, so that
	 * reloading the answer cannot resend the form and issue a second token.
	 */
	create: async (event) => {
		const { db, actor, organisation } = organisationFor(event, 'api_token:manage');
		const parsed = parseForm(apiTokens.tokenInput(), await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		const path = pagePath(organisation.slug);
		try {
			const issued = apiTokens.issue(db, actor, organisation.id, parsed.data);
			rememberIssued(event.cookies, path, issued);
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, `${path}?done=created`);
	},
	revoke: async (event) => {
		const { db, actor, organisation } = organisationFor(event, 'api_token:manage');
		const parsed = parseForm(revokeInput, await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		try {
			apiTokens.revoke(db, actor, organisation.id, parsed.data.id);
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
		redirect(303, `${pagePath(organisation.slug)}?done=revoked`);
	}
};
