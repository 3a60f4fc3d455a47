import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as notifications from '../../src/lib/server/notifications';
import { freshDb } from '../support/db';
import { makeOrganisation } from '../support/listing-fixtures';
import { makeUser, outboxTo, type TestUser } from '../support/org-fixtures';

let db: Db;

beforeEach(() => {
	db = freshDb();
});

const notice = (title = 'Solar pumps for Kisumu'): notifications.Notice => ({
	kind: 'partnership_update_posted',
	params: { organisation: 'Sun Partners', title },
	path: '/partnerships/abc'
});

function addMember(organisationId: string, user: TestUser = makeUser(db)) {
	db.insert(table.membership).values({ organisationId, userId: user.id, role: 'editor' }).run();
	return user;
}

function setLanguages(organisationId: string, languages: string[]) {
	db.update(table.organisation)
		.set({ languages })
		.where(eq(table.organisation.id, organisationId))
		.run();
}

describe('notifying an organisation', () => {
	it('writes one notification and queues one email per member, except the one acting', () => {
		const organisation = makeOrganisation(db);
		const colleague = addMember(organisation.organisationId);
		const actorSelf = addMember(organisation.organisationId);
		const count = db.transaction((tx) =>
			notifications.notifyOrganisation(tx, organisation.organisationId, notice(), {
				exceptUserId: actorSelf.id,
				origin: 'https://citybridge.example'
			})
		);
		expect(count).toBe(2);
		for (const member of [organisation.owner, colleague]) {
			expect(notifications.unreadCount(db, member.id)).toBe(1);
			const [email] = outboxTo(db, member.email);
			expect(email.subject).toBe('New update on “Solar pumps for Kisumu”');
			expect(email.body).toContain('Sun Partners posted an update');
			expect(email.body).toContain('https://citybridge.example/partnerships/abc');
		}
		expect(notifications.unreadCount(db, actorSelf.id)).toBe(0);
		expect(outboxTo(db, actorSelf.email)).toHaveLength(0);
	});

	it('writes French emails to an organisation working in French, and quotes a note', () => {
		const organisation = makeOrganisation(db);
		setLanguages(organisation.organisationId, ['fr', 'wo']);
		db.transaction((tx) =>
			notifications.notifyOrganisation(tx, organisation.organisationId, {
				...notice(),
				detail: 'Merci pour votre aide.'
			})
		);
		const [email] = outboxTo(db, organisation.owner.email);
		expect(email.subject).toBe('Nouvelle mise à jour sur « Solar pumps for Kisumu »');
		expect(email.body).toContain('Merci pour votre aide.');
		expect(email.body).toContain('Vous recevez ce message');
	});

	it('rolls back with the change it announces', () => {
		const organisation = makeOrganisation(db);
		expect(() =>
			db.transaction((tx) => {
				notifications.notifyOrganisation(tx, organisation.organisationId, notice());
				throw new Error('the change failed');
			})
		).toThrow('the change failed');
		expect(notifications.unreadCount(db, organisation.owner.id)).toBe(0);
		expect(outboxTo(db, organisation.owner.email)).toHaveLength(0);
	});

	it('notifies nobody for an unknown organisation, and people directly when asked', () => {
		expect(db.transaction((tx) => notifications.notifyOrganisation(tx, 'missing', notice()))).toBe(
			0
		);
		const person = makeUser(db);
		expect(
			db.transaction((tx) => notifications.notifyUsers(tx, [person.id, person.id], notice()))
		).toBe(1);
		expect(outboxTo(db, person.email)).toHaveLength(1);
	});
});

describe('reading notifications', () => {
	it('renders each kind in the reader’s language from its parameters', () => {
		expect(
			notifications.notificationText(
				'partnership_status_changed',
				{ organisation: 'Accra', title: 'Flood alerts', status: 'active' },
				'fr'
			)
		).toBe('Accra a fait passer le partenariat « Flood alerts » à : En cours.');
		expect(
			notifications.notificationText('partnership_status_changed', {
				organisation: 'Accra',
				title: 'Flood alerts',
				status: 'active'
			})
		).toBe('Accra moved the partnership “Flood alerts” to: Active.');
		expect(notifications.notificationText('something_new', {})).toBe(
			'You have a new notification.'
		);
		// Parameters are text, never markup: the page escapes them like any other text.
		expect(
			notifications.notificationText('introduction_requested', {
				organisation: '<b>Org</b>',
				subject: '<script>x</script>'
			})
		).toBe('<b>Org</b> asked to be introduced about “<script>x</script>”.');
	});

	it('lists a person’s own notifications newest first, a page at a time', () => {
		const organisation = makeOrganisation(db);
		const other = makeOrganisation(db);
		for (let n = 0; n < 25; n += 1) {
			db.transaction((tx) =>
				notifications.notifyOrganisation(tx, organisation.organisationId, notice(`Title ${n}`))
			);
		}
		db.transaction((tx) => notifications.notifyOrganisation(tx, other.organisationId, notice()));
		const first = notifications.listNotifications(db, organisation.owner.id, 1);
		expect(first).toMatchObject({ total: 25, page: 1, pageCount: 2, unread: 25 });
		expect(first.items).toHaveLength(20);
		expect(first.items[0].text).toContain('Title 24');
		expect(first.items[0]).toMatchObject({ isRead: false, path: '/partnerships/abc' });
		const second = notifications.listNotifications(db, organisation.owner.id, 2);
		expect(second.items.at(-1)!.text).toContain('Title 0');
		expect(notifications.listNotifications(db, organisation.owner.id, 99).page).toBe(2);
		expect(notifications.listNotifications(db, organisation.owner.id, Number.NaN).page).toBe(1);
	});

	it('marks read only the person’s own notifications, some or all', () => {
		const mine = makeOrganisation(db);
		const theirs = makeOrganisation(db);
		for (let n = 0; n < 3; n += 1) {
			db.transaction((tx) => {
				notifications.notifyOrganisation(tx, mine.organisationId, notice());
				notifications.notifyOrganisation(tx, theirs.organisationId, notice());
			});
		}
		const myIds = notifications.listNotifications(db, mine.owner.id).items.map((item) => item.id);
		const theirIds = notifications
			.listNotifications(db, theirs.owner.id)
			.items.map((item) => item.id);
		expect(notifications.markRead(db, mine.owner.id, [myIds[0], ...theirIds])).toBe(1);
		expect(notifications.unreadCount(db, mine.owner.id)).toBe(2);
		expect(notifications.unreadCount(db, theirs.owner.id)).toBe(3);
		expect(notifications.markRead(db, mine.owner.id, [])).toBe(0);
		expect(notifications.markRead(db, mine.owner.id, [Number.NaN, -1, 1.5, Infinity])).toBe(0);
		expect(notifications.markRead(db, mine.owner.id, 'all')).toBe(2);
		expect(notifications.markRead(db, mine.owner.id, 'all')).toBe(0);
		expect(notifications.listNotifications(db, mine.owner.id).items[0].isRead).toBe(true);
		expect(notifications.unreadCount(db, theirs.owner.id)).toBe(3);
	});
});
