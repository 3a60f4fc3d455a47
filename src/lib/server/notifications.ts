import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { queueEmail } from '$lib/server/email';
import type { Executor } from '$lib/server/organisations';
import { partnershipStatuses, type PartnershipStatus } from '$lib/vocab/matchmaking';

/**
 * In-app notifications (one row per person) and the matching emails through the outbox, written
 * in the caller's transaction so they exist exactly when the change they announce does. The text
 * is rendered when read, in the reader's language, from `kind` and `params`.
 */

export const notificationKinds = [
	'introduction_requested',
	'introduction_accepted',
	'introduction_declined',
	'introduction_withdrawn',
	'partnership_status_changed',
	'partnership_update_posted',
	'partnership_consent_changed',
	'partnership_stale'
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

type Locale = 'en' | 'fr';
export type NotificationParams = Record<string, string>;
export type NotificationEmail = { subject: string; body: string };

export type Notice = {
	kind: NotificationKind;
	params: NotificationParams;
	/** Where the notification leads, a site path such as `/partnerships/abc`. */
	path: string;
	/** Overrides the email rendered from the kind; a function gets the recipient's language. */
	email?: NotificationEmail | ((locale: Locale, recipient: string) => NotificationEmail);
	/** A note from the other side, quoted in the email only (not stored in the notification). */
	detail?: string;
};

/** A partnership status in the given language (the request's by default). */
export function partnershipStatusLabel(status: PartnershipStatus, locale?: Locale): string {
	const options = locale ? { locale } : undefined;
	switch (status) {
		case 'proposed':
			return m.partnerships_status_proposed({}, options);
		case 'agreed':
			return m.partnerships_status_agreed({}, options);
		case 'active':
			return m.partnerships_status_active({}, options);
		case 'completed':
			return m.partnerships_status_completed({}, options);
		case 'discontinued':
			return m.partnerships_status_discontinued({}, options);
	}
}

const isStatus = (value: string | undefined): value is PartnershipStatus =>
	(partnershipStatuses as readonly string[]).includes(value ?? '');

/** The notification's sentence in the reader's language (the request's locale by default). */
export function notificationText(
	kind: string,
	params: NotificationParams,
	locale?: Locale
): string {
	const options = locale ? { locale } : undefined;
	const organisation = params.organisation ?? '';
	const subject = params.subject ?? '';
	const title = params.title ?? '';
	switch (kind) {
		case 'introduction_requested':
			return m.partnerships_notification_introduction_requested({ organisation, subject }, options);
		case 'introduction_accepted':
			return m.partnerships_notification_introduction_accepted({ organisation, subject }, options);
		case 'introduction_declined':
			return m.partnerships_notification_introduction_declined({ organisation, subject }, options);
		case 'introduction_withdrawn':
			return m.partnerships_notification_introduction_withdrawn({ organisation, subject }, options);
		case 'partnership_status_changed':
			return m.partnerships_notification_status_changed(
				{
					organisation,
					title,
					status: isStatus(params.status)
						? partnershipStatusLabel(params.status, locale)
						: (params.status ?? '')
				},
				options
			);
		case 'partnership_update_posted':
			return m.partnerships_notification_update_posted({ organisation, title }, options);
		case 'partnership_consent_changed':
			return params.consents === 'yes'
				? m.partnerships_notification_consent_given({ organisation, title }, options)
				: m.partnerships_notification_consent_withdrawn({ organisation, title }, options);
		case 'partnership_stale':
			return m.partnerships_notification_stale({ title }, options);
		default:
			return m.partnerships_notification_other({}, options);
	}
}

function subjectOf(kind: NotificationKind, params: NotificationParams, locale: Locale): string {
	const options = { locale };
	const organisation = params.organisation ?? '';
	const title = params.title ?? '';
	switch (kind) {
		case 'introduction_requested':
			return m.partnerships_subject_introduction_requested({ organisation }, options);
		case 'introduction_accepted':
			return m.partnerships_subject_introduction_accepted({ organisation }, options);
		case 'introduction_declined':
			return m.partnerships_subject_introduction_declined({ organisation }, options);
		case 'introduction_withdrawn':
			return m.partnerships_subject_introduction_withdrawn({ organisation }, options);
		case 'partnership_status_changed':
			return m.partnerships_subject_status_changed(
				{
					title,
					status: isStatus(params.status)
						? partnershipStatusLabel(params.status, locale)
						: (params.status ?? '')
				},
				options
			);
		case 'partnership_update_posted':
			return m.partnerships_subject_update_posted({ title }, options);
		case 'partnership_consent_changed':
			return m.partnerships_subject_consent_changed({ title }, options);
		case 'partnership_stale':
			return m.partnerships_subject_stale({ title }, options);
	}
}

/** The email for a notice: its sentence, the other side's note if any, and the link. */
export function noticeEmail(
	notice: Notice,
	options: { locale: Locale; recipient: string; origin: string }
): NotificationEmail {
	const { locale, recipient } = options;
	if (typeof notice.email === 'function') return notice.email(locale, recipient);
	if (notice.email) return notice.email;
	const detail = notice.detail?.trim()
		? `${m.partnerships_email_detail({ detail: notice.detail.trim() }, { locale })}\n\n`
		: '';
	return {
		subject: subjectOf(notice.kind, notice.params, locale),
		body: m.partnerships_email_body(
			{
				text: notificationText(notice.kind, notice.params, locale),
				detail,
				link: new URL(notice.path, options.origin).toString(),
				recipient
			},
			{ locale }
		)
	};
}

/** People have no language setting: an organisation working in French (and not English) gets French. */
function organisationLocale(languages: string[]): Locale {
	return languages.includes('fr') && !languages.includes('en') ? 'fr' : 'en';
}

function insertFor(
	tx: Executor,
	recipients: { id: string; email: string }[],
	notice: Notice,
	email: (recipient: { id: string; email: string }) => NotificationEmail
): number {
	for (const recipient of recipients) {
		tx.insert(table.notification)
			.values({
				userId: recipient.id,
				kind: notice.kind,
				params: notice.params,
				path: notice.path
			})
			.run();
		const message = email(recipient);
		// Same connection, so the outbox rows commit or roll back with the change they announce.
		queueEmail(tx as unknown as Db, { to: recipient.email, ...message });
	}
	return recipients.length;
}

/**
 * Notifies every member of the organisation (except `exceptUserId`, usually the person acting):
 * one in-app row and one queued email each. Returns how many people were notified.
 */
export function notifyOrganisation(
	tx: Executor,
	organisationId: string,
	notice: Notice,
	options: { exceptUserId?: string | null; origin?: string } = {}
): number {
	const organisation = tx
		.select({ name: table.organisation.name, languages: table.organisation.languages })
		.from(table.organisation)
		.where(eq(table.organisation.id, organisationId))
		.get();
	if (!organisation) return 0;
	const members = tx
		.select({ id: table.user.id, email: table.user.email })
		.from(table.membership)
		.innerJoin(table.user, eq(table.user.id, table.membership.userId))
		.where(eq(table.membership.organisationId, organisationId))
		.orderBy(table.user.id)
		.all()
		.filter((member) => member.id !== options.exceptUserId);
	const locale = organisationLocale(organisation.languages);
	const origin = options.origin ?? config.origin;
	return insertFor(tx, members, notice, () =>
		noticeEmail(notice, { locale, recipient: organisation.name, origin })
	);
}

/** Notifies the given people directly (no organisation): in-app row and email, in English. */
export function notifyUsers(
	tx: Executor,
	userIds: string[],
	notice: Notice,
	options: { origin?: string } = {}
): number {
	if (userIds.length === 0) return 0;
	const people = tx
		.select({ id: table.user.id, email: table.user.email, name: table.user.name })
		.from(table.user)
		.where(inArray(table.user.id, [...new Set(userIds)]))
		.all();
	const origin = options.origin ?? config.origin;
	return insertFor(tx, people, notice, (recipient) =>
		noticeEmail(notice, {
			locale: 'en',
			recipient: people.find((person) => person.id === recipient.id)?.name ?? recipient.email,
			origin
		})
	);
}

export const PAGE_SIZE = 20;
export const MARK_READ_MAX = 200;

/** A person's notifications, newest first, with their text in the request's language. */
export function listNotifications(db: Db, userId: string, page = 1, pageSize = PAGE_SIZE) {
	const total =
		db
			.select({ n: count() })
			.from(table.notification)
			.where(eq(table.notification.userId, userId))
			.get()?.n ?? 0;
	const pageCount = Math.max(1, Math.ceil(total / pageSize));
	const current = Math.min(Math.max(1, Math.floor(Number.isFinite(page) ? page : 1)), pageCount);
	const rows = db
		.select({
			id: table.notification.id,
			kind: table.notification.kind,
			params: table.notification.params,
			path: table.notification.path,
			readAt: table.notification.readAt,
			createdAt: table.notification.createdAt
		})
		.from(table.notification)
		.where(eq(table.notification.userId, userId))
		.orderBy(desc(table.notification.createdAt), desc(table.notification.id))
		.limit(pageSize)
		.offset((current - 1) * pageSize)
		.all();
	return {
		items: rows.map(({ params, ...row }) => ({
			...row,
			text: notificationText(row.kind, params),
			isRead: row.readAt !== null
		})),
		total,
		page: current,
		pageCount,
		unread: unreadCount(db, userId)
	};
}

export function unreadCount(db: Db, userId: string): number {
	return (
		db
			.select({ n: count() })
			.from(table.notification)
			.where(and(eq(table.notification.userId, userId), isNull(table.notification.readAt)))
			.get()?.n ?? 0
	);
}

/**
 * Marks the person's own notifications read: the given ids (others' ids are ignored) or all.
 * Returns how many changed.
 */
export function markRead(
	db: Db,
	userId: string,
	ids: readonly number[] | 'all',
	now = new Date()
): number {
	// Ids come from forms: anything but a positive integer names no notification. A page marks
	// at most a page or two at once; more ids than this is not a real request.
	const chosen =
		ids === 'all'
			? ids
			: ids.filter((id) => Number.isSafeInteger(id) && id > 0).slice(0, MARK_READ_MAX);
	if (chosen !== 'all' && chosen.length === 0) return 0;
	const result = db
		.update(table.notification)
		.set({ readAt: now })
		.where(
			and(
				eq(table.notification.userId, userId),
				isNull(table.notification.readAt),
				chosen === 'all' ? undefined : inArray(table.notification.id, [...chosen])
			)
		)
		.run();
	return result.changes;
}
