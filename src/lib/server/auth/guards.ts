import { redirect, type RequestEvent } from '@sveltejs/kit';
import { localizeHref } from '$lib/paraglide/runtime';
import type { Actor } from '$lib/server/auth/policy';
import type { SessionUser } from '$lib/server/auth/session';

/** The policy module's view of whoever is asking. */
export function actorOf(locals: App.Locals): Actor {
	return locals.user ? { id: locals.user.id, siteRole: locals.user.siteRole } : null;
}

/** For pages: a signed-out visitor is sent to the login page and brought back afterwards. */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): SessionUser {
	if (event.locals.user) return event.locals.user;
	const back = event.url.pathname + event.url.search;
	redirect(303, localizeHref(`/login?redirectTo=${encodeURIComponent(back)}`));
}

/** Only same-site paths are followed after login, never another origin. */
export function safeRedirectTarget(target: string | null | undefined, fallback = '/'): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
		return fallback;
	}
	return target;
}
