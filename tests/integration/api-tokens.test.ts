import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as apiTokens from '$lib/server/api-tokens';
import * as audit from '$lib/server/audit';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { hashToken } from '$lib/server/ids';
import * as memberships from '$lib/server/memberships';
import { freshDb } from '../support/db';
import { actorOf, makeOrganisation } from '../support/listing-fixtures';
import { makeUser, ruleErrorOf } from '../support/org-fixtures';

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-11-28T12:00:00Z');
const input = (overrides: Record<string, unknown> = {}) =>
	apiTokens.tokenInput(now).parse({ name: 'Portal sync', ...overrides });
const bearer = (token: string) => `Bearer ${token}`;

function setup() {
	const db = freshDb();
	const organisation = makeOrganisation(db);
	const editor = makeUser(db, 'member', 'editor');
	db.insert(table.membership)
		.values({ organisationId: organisation.organisationId, userId: editor.id, role: 'editor' })
		.run();
	return { db, organisation, owner: organisation.actor, editor: actorOf(editor) };
}

/** Every value of every column of every row of the table, as text. */
function tableText(db: Db, name: string): string {
	return JSON.stringify(db.$client.prepare(`SELECT * FROM ${name}`).all());
}

describe('issuing tokens', () => {
	it('lets an owner issue a cbt_ token whose hash alone is stored', () => {
		const { db, organisation, owner } = setup();
		const issued = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		expect(issued.token).toMatch(/^cbt_[a-z2-7]{32}$/);
		expect(issued.prefix).toBe(issued.token.slice(0, 12));
		const [row] = db.select().from(table.apiToken).all();
		expect(row.tokenHash).toBe(hashToken(issued.token));
		expect(row.createdBy).toBe(owner!.id);
		// Nowhere in the database, audit log included, is the token itself.
		for (const name of ['api_token', 'audit_log']) {
			expect(tableText(db, name)).not.toContain(issued.token);
		}
		expect(audit.entriesFor(db, 'organisation', organisation.organisationId).at(-1)).toMatchObject({
			action: 'api_token.issued',
			detail: { tokenId: issued.id, name: 'Portal sync' }
		});
	});

	it('refuses editors, outsiders, moderators and signed-out callers', () => {
		const { db, organisation, editor } = setup();
		const outsider = actorOf(makeUser(db));
		const moderator = actorOf(makeUser(db, 'moderator'));
		for (const actor of [editor, outsider, moderator, null]) {
			const error = ruleErrorOf(() =>
				apiTokens.issue(db, actor, organisation.organisationId, input(), now)
			);
			expect(error.status).toBe(403);
		}
		expect(db.select().from(table.apiToken).all()).toHaveLength(0);
	});

	it('validates the name and the expiry date', () => {
		const schema = apiTokens.tokenInput(now);
		const fieldsOf = (values: Record<string, unknown>) => {
			const result = schema.safeParse(values);
			return result.success ? [] : result.error.issues.map((issue) => issue.path.join('.'));
		};
		expect(fieldsOf({ name: '' })).toEqual(['name']);
		expect(fieldsOf({ name: '   ' })).toEqual(['name']);
		expect(fieldsOf({ name: 'x'.repeat(81) })).toEqual(['name']);
		expect(fieldsOf({ name: 'x'.repeat(80) })).toEqual([]);
		expect(fieldsOf({ name: 42 })).toEqual(['name']);
		expect(fieldsOf({ name: 'ok', expiresOn: '2026-11-28' })).toEqual(['expiresOn']);
		expect(fieldsOf({ name: 'ok', expiresOn: '2026-02-30' })).toEqual(['expiresOn']);
		expect(fieldsOf({ name: 'ok', expiresOn: 'tomorrow' })).toEqual(['expiresOn']);
		expect(fieldsOf({ name: 'ok', expiresOn: '2029-11-28' })).toEqual(['expiresOn']);
		expect(schema.parse({ name: ' ok ', expiresOn: '2026-11-29' })).toEqual({
			name: 'ok',
			expiresOn: new Date('2026-11-29T00:00:00Z')
		});
		expect(schema.parse({ name: 'ok', expiresOn: '' }).expiresOn).toBeNull();
	});

	it('allows at most 20 live tokens; revoked and expired ones do not count', () => {
		const { db, organisation, owner } = setup();
		const ids = Array.from(
			{ length: apiTokens.LIVE_TOKENS_MAX },
			(_, index) =>
				apiTokens.issue(db, owner, organisation.organisationId, input({ name: `t${index}` }), now)
					.id
		);
		const error = ruleErrorOf(() =>
			apiTokens.issue(db, owner, organisation.organisationId, input(), now)
		);
		expect(error.status).toBe(409);
		apiTokens.revoke(db, owner, organisation.organisationId, ids[0], now);
		apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		// Once a token with an expiry date has expired, it frees its place too.
		db.update(table.apiToken)
			.set({ expiresAt: new Date(now.getTime() + DAY) })
			.where(eq(table.apiToken.id, ids[1]))
			.run();
		const later = new Date(now.getTime() + 2 * DAY);
		expect(() =>
			apiTokens.issue(db, owner, organisation.organisationId, input(), later)
		).not.toThrow();
	});
});

describe('listing and revoking tokens', () => {
	it('lists tokens for owners only, never with the token or its hash', () => {
		const { db, organisation, owner, editor } = setup();
		const issued = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		const rows = apiTokens.list(db, owner, organisation.organisationId, now);
		expect(rows).toEqual([
			expect.objectContaining({
				id: issued.id,
				name: 'Portal sync',
				prefix: issued.prefix,
				createdAt: now,
				lastUsedAt: null,
				expiresAt: null,
				revokedAt: null,
				state: 'active'
			})
		]);
		expect(rows[0].createdByName).toMatch(/city/);
		expect(JSON.stringify(rows)).not.toContain(issued.token);
		expect(JSON.stringify(rows)).not.toContain(hashToken(issued.token));
		expect(ruleErrorOf(() => apiTokens.list(db, editor, organisation.organisationId)).status).toBe(
			403
		);
	});

	it('revokes once, idempotently, with an audit row; another organisation’s id is not found', () => {
		const { db, organisation, owner } = setup();
		const other = makeOrganisation(db);
		const issued = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		const theirs = apiTokens.issue(db, other.actor, other.organisationId, input(), now);
		apiTokens.revoke(db, owner, organisation.organisationId, issued.id, now);
		apiTokens.revoke(
			db,
			owner,
			organisation.organisationId,
			issued.id,
			new Date(now.getTime() + DAY)
		);
		const [row] = apiTokens.list(db, owner, organisation.organisationId, now);
		expect(row).toMatchObject({ state: 'revoked', revokedAt: now });
		expect(row.revokedByName).toBe(row.createdByName);
		const revocations = audit
			.entriesFor(db, 'organisation', organisation.organisationId)
			.filter((entry) => entry.action === 'api_token.revoked');
		expect(revocations).toHaveLength(1);
		const error = ruleErrorOf(() =>
			apiTokens.revoke(db, owner, organisation.organisationId, theirs.id, now)
		);
		expect(error.status).toBe(404);
		expect(apiTokens.authenticate(db, bearer(theirs.token), now)).not.toBeNull();
	});
});

describe('authenticate', () => {
	it('accepts a live token and acts for its organisation as its issuer, with no site role', () => {
		const { db, organisation, owner } = setup();
		const issued = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		expect(apiTokens.authenticate(db, bearer(issued.token), now)).toEqual({
			tokenId: issued.id,
			organisationId: organisation.organisationId,
			actor: { id: owner!.id, siteRole: 'member' }
		});
		expect(apiTokens.authenticate(db, `bearer   ${issued.token}`, now)).not.toBeNull();
	});

	it('refuses malformed headers, unknown, revoked and expired tokens', () => {
		const { db, organisation, owner } = setup();
		const live = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		const revoked = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		apiTokens.revoke(db, owner, organisation.organisationId, revoked.id, now);
		const expiring = apiTokens.issue(
			db,
			owner,
			organisation.organisationId,
			input({ expiresOn: '2026-11-30' }),
			now
		);
		for (const header of [
			null,
			'',
			live.token,
			`Basic ${live.token}`,
			`Bearer ${live.token}x`,
			`Bearer ${live.token.toUpperCase()}`,
			`Bearer ${live.token} extra`,
			`Bearer cbt_${'a'.repeat(32)}`,
			bearer(revoked.token)
		]) {
			expect(apiTokens.authenticate(db, header, now), String(header)).toBeNull();
		}
		expect(apiTokens.authenticate(db, bearer(expiring.token), now)).not.toBeNull();
		const atExpiry = new Date('2026-11-30T00:00:00Z');
		expect(apiTokens.authenticate(db, bearer(expiring.token), atExpiry)).toBeNull();
	});

	it('refuses a token while its issuer is not a member of the organisation', () => {
		const { db, organisation, owner, editor } = setup();
		const issued = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		// The issuer hands the organisation over and leaves: the token stops working.
		memberships.transferOwnership(db, organisation.organisationId, owner!.id, editor!.id);
		expect(apiTokens.authenticate(db, bearer(issued.token), now)).not.toBeNull();
		memberships.leaveOrganisation(db, organisation.organisationId, owner!.id);
		expect(apiTokens.authenticate(db, bearer(issued.token), now)).toBeNull();
		// Coming back (invited again) makes it work again: the membership is what counts.
		db.insert(table.membership)
			.values({ organisationId: organisation.organisationId, userId: owner!.id, role: 'editor' })
			.run();
		expect(apiTokens.authenticate(db, bearer(issued.token), now)).not.toBeNull();
	});

	it('records the last use at most once a minute', () => {
		const { db, organisation, owner } = setup();
		const issued = apiTokens.issue(db, owner, organisation.organisationId, input(), now);
		const lastUsed = () =>
			db
				.select({ at: table.apiToken.lastUsedAt })
				.from(table.apiToken)
				.where(eq(table.apiToken.id, issued.id))
				.get()!.at;
		const at = (seconds: number) => new Date(now.getTime() + seconds * 1000);
		apiTokens.authenticate(db, bearer(issued.token), at(0));
		expect(lastUsed()).toEqual(at(0));
		apiTokens.authenticate(db, bearer(issued.token), at(30));
		apiTokens.authenticate(db, bearer(issued.token), at(59));
		expect(lastUsed()).toEqual(at(0));
		apiTokens.authenticate(db, bearer(issued.token), at(60));
		expect(lastUsed()).toEqual(at(60));
	});
});
