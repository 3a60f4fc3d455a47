import type { PageServerLoad } from './$types';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { authorize } from '$lib/server/auth/policy';
import { appDb } from '$lib/server/db/app';
import * as email from '$lib/server/email';

export const load: PageServerLoad = (event) => {
	requireUser(event);
	authorize(actorOf(event.locals), 'outbox:view');
	const page = Number.parseInt(event.url.searchParams.get('page') ?? '1', 10);
	return email.listOutbox(appDb(), Number.isFinite(page) ? page : 1);
};
