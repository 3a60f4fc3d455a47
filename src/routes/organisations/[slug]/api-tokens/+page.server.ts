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

export const load: PageServerLoad = (event) => {
	const { db, actor, organisation } = organisationFor(event, 'api_token:manage');
	// The page may carry a just-issued token: no cache may keep it.
	event.setHeaders({ 'cache-control': 'no-store' });
	return {
		organisation: { slug: organisation.slug, name: organisation.name },
		tokens: apiTokens.list(db, actor, organisation.id).map((token) => ({
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
	/** Issues a token and shows it on the answer, once: it cannot be carried across a redirect. */
	create: async (event) => {
		const { db, actor, organisation } = organisationFor(event, 'api_token:manage');
		const parsed = parseForm(apiTokens.tokenInput(), await event.request.formData());
		if (!parsed.success) return formFailure(400, parsed.echo, parsed.errors);
		try {
			const issued = apiTokens.issue(db, actor, organisation.id, parsed.data);
			return { created: { id: issued.id, name: issued.name, token: issued.token } };
		} catch (failure) {
			return organisations.ruleFailure(failure, parsed.echo);
		}
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
		redirect(303, localizeHref(`/organisations/${organisation.slug}/api-tokens?done=revoked`));
	}
};
