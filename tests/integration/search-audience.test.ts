import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import { audienceOf } from '../../src/lib/server/search/audience';
import { freshDb } from '../support/db';
import { ensurePlaces, makeUser, type TestUser } from '../support/org-fixtures';

let db: Db;

type VerificationState = (typeof table.verificationStates)[number];

/** An organisation owned by `owner`, in the given verification state. */
function organisationOf(owner: TestUser, state: VerificationState): string {
	const { id } = organisations.createOrganisation(db, owner.id, {
		name: `Org ${state} ${Math.random()}`,
		kind: 'ngo',
		country: 'KE',
		city: null,
		website: null,
		description: '',
		languages: []
	});
	db.update(table.organisation)
		.set({ verificationState: state })
		.where(eq(table.organisation.id, id))
		.run();
	return id;
}

const actor = (user: TestUser) => ({ id: user.id, siteRole: user.siteRole });

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
});

describe('audienceOf', () => {
	it('gives signed-out visitors and members without a verified organisation the public audience', () => {
		expect(audienceOf(db, null)).toBe('public');
		const loner = makeUser(db);
		expect(audienceOf(db, actor(loner))).toBe('public');
		for (const state of ['unverified', 'pending', 'rejected'] as const) {
			const owner = makeUser(db);
			organisationOf(owner, state);
			expect(audienceOf(db, actor(owner)), state).toBe('public');
		}
	});

	it('gives owners and editors of a verified organisation the verified audience', () => {
		const owner = makeUser(db);
		const orgId = organisationOf(owner, 'verified');
		const editor = makeUser(db);
		db.insert(table.membership)
			.values({ organisationId: orgId, userId: editor.id, role: 'editor' })
			.run();
		expect(audienceOf(db, actor(owner))).toBe('verified');
		expect(audienceOf(db, actor(editor))).toBe('verified');
	});

	it('counts any verified membership among several', () => {
		const person = makeUser(db);
		organisationOf(person, 'unverified');
		expect(audienceOf(db, actor(person))).toBe('public');
		const other = makeUser(db);
		const verifiedId = organisationOf(other, 'verified');
		db.insert(table.membership)
			.values({ organisationId: verifiedId, userId: person.id, role: 'editor' })
			.run();
		expect(audienceOf(db, actor(person))).toBe('verified');
	});

	it('takes the verified audience away when the organisation loses its badge or the member leaves', () => {
		const owner = makeUser(db);
		const orgId = organisationOf(owner, 'verified');
		const editor = makeUser(db);
		db.insert(table.membership)
			.values({ organisationId: orgId, userId: editor.id, role: 'editor' })
			.run();
		db.delete(table.membership).where(eq(table.membership.userId, editor.id)).run();
		expect(audienceOf(db, actor(editor))).toBe('public');
		db.update(table.organisation)
			.set({ verificationState: 'rejected' })
			.where(eq(table.organisation.id, orgId))
			.run();
		expect(audienceOf(db, actor(owner))).toBe('public');
	});

	it('gives moderators and admins the verified audience without any membership', () => {
		expect(audienceOf(db, actor(makeUser(db, 'moderator')))).toBe('verified');
		expect(audienceOf(db, actor(makeUser(db, 'admin')))).toBe('verified');
	});

	it('answers public for a user with no membership row, or no user row at all', () => {
		const user = makeUser(db);
		expect(audienceOf(db, { id: user.id, siteRole: 'member' })).toBe('public');
		expect(audienceOf(db, { id: 'no-such-user', siteRole: 'member' })).toBe('public');
	});
});
