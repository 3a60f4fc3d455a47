import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { localizeHref } from '$lib/paraglide/runtime';
import { authorize } from '$lib/server/auth/policy';
import { actorOf, requireUser } from '$lib/server/auth/guards';
import { appDb } from '$lib/server/db/app';
import { formFailure, formValues } from '$lib/server/forms';
import * as notifications from '$lib/server/notifications';
import type { Actions, PageServerLoad } from './$types';

/** `?page=` as a whole number from 1; anything else is the first page. */
function pageOf(url: URL): number {
	const text = url.searchParams.get('page') ?? '1';
	return /^\d{1,6}$/.test(text) ? Math.max(1, Number(text)) : 1;
}

export const load: PageServerLoad = (event) => {
	const user = requireUser(event);
	// Everyone signed in has notifications; the policy still decides.
	authorize(actorOf(event.locals), 'account:manage');
	const list = notifications.listNotifications(appDb(), user.id, pageOf(event.url));
	return {
		items: list.items.map((item) => ({
			id: item.id,
			text: item.text,
			path: item.path,
			isRead: item.isRead,
			createdAt: item.createdAt
		})),
		total: list.total,
		page: list.page,
		pageCount: list.pageCount,
		unread: list.unread,
		done: event.url.searchParams.get('done') === 'read'
	};
};

export const actions: Actions = {
	read: async (event) => {
		const user = requireUser(event);
		authorize(actorOf(event.locals), 'account:manage');
		const values = formValues(await event.request.formData(), ['id']);
		const ids = (values.id as FormDataEntryValue[]).filter(
			(value): value is string => typeof value === 'string'
		);
		const isAll = values.all === 'yes' || values.all === 'on' || values.all === 'true';
		if (!isAll && (ids.length === 0 || ids.some((id) => !/^\d{1,15}$/.test(id)))) {
			return formFailure(400, {}, {}, m.partnershippages_notification_unknown());
		}
		notifications.markRead(appDb(), user.id, isAll ? 'all' : ids.map(Number));
		const page = event.url.searchParams.get('page');
		const back = page && /^\d{1,6}$/.test(page) ? `?page=${page}&done=read` : '?done=read';
		redirect(303, localizeHref(`/notifications${back}`));
	}
};
