import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { localizeHref } from '$lib/paraglide/runtime';

/** The outbox is the only admin page so far. */
export const load: PageServerLoad = () => redirect(307, localizeHref('/admin/outbox'));
