import { and, count, eq, isNull, like } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import { organisationKinds } from '../../src/lib/server/db/schema';
import * as accounts from '../../src/lib/server/accounts';
import * as demo from '../../src/lib/server/demo';
import * as verification from '../../src/lib/server/verification';
import { freshDb as openFreshDb } from '../support/db';

const origin = 'http://localhost:3000';

const opened: Db[] = [];
function freshDb(): Db {
	const db = openFreshDb();
	opened.push(db);
	return db;
}
afterEach(() => {
	for (const db of opened.splice(0)) db.$client.close();
});

async function seeded() {
	const db = freshDb();
	const lines: string[] = [];
	const result = await demo.seedDemoContent(db, { origin, log: (line) => lines.push(line) });
	return { db, result, output: lines.join('\n') };
}

/** Row counts of every table demo seeding writes to, to prove a second run writes nothing. */
function counts(db: Db) {
	const tables = {
		user: table.user,
		organisation: table.organisation,
		membership: table.membership,
		invitation: table.invitation,
		verificationRequest: table.verificationRequest,
		auditLog: table.auditLog,
		emailOutbox: table.emailOutbox,
		caseStudy: table.caseStudy,
		caseStudyTag: table.caseStudyTag,
		caseStudyStakeholder: table.caseStudyStakeholder,
		caseStudyRevision: table.caseStudyRevision,
		caseStudyValidation: table.caseStudyValidation
	};
	return Object.fromEntries(
		Object.entries(tables).map(([name, t]) => [name, db.select({ n: count() }).from(t).get()!.n])
	);
}

/** Email → password as printed in the console table. */
function printedLogins(output: string): Map<string, string> {
	const logins = new Map<string, string>();
	for (const line of output.split('\n')) {
		const cells = line.split(' | ').map((cell) => cell.trim());
		if (cells.length === 4 && cells[0].includes('@')) logins.set(cells[0], cells[1]);
	}
	return logins;
}

// Each test seeds the whole demo (organisations, case studies, needs, offers, partnerships).
describe('demo content', { timeout: 30_000 }, () => {
	it('seeds a lived-in world: 60+ organisations over six regions, cities in 30+ developing countries, every kind', async () => {
		const { db, result } = await seeded();
		expect(result.seeded).toBe(true);

		const rows = db
			.select({
				kind: table.organisation.kind,
				countryCode: table.organisation.countryCode,
				regionCode: table.country.regionCode,
				subregionCode: table.country.subregionCode,
				incomeGroup: table.country.incomeGroup,
				isLdc: table.country.isLdc,
				cityCountry: table.city.countryCode,
				website: table.organisation.website,
				description: table.organisation.description
			})
			.from(table.organisation)
			.innerJoin(table.country, eq(table.organisation.countryCode, table.country.code))
			.leftJoin(table.city, eq(table.organisation.cityId, table.city.id))
			.all();
		expect(rows.length).toBeGreaterThanOrEqual(60);

		// Six regions: Africa, Asia, Europe, Oceania, and the Americas as Latin America and the
		// Caribbean (419) and Northern America (021).
		const regions = new Set(
			rows.map((r) => (r.regionCode === '019' ? r.subregionCode : r.regionCode))
		);
		expect([...regions].sort()).toEqual(['002', '009', '021', '142', '150', '419']);

		// "Developing" derived here from the reference data, independently of the app's helper.
		const developing = (r: (typeof rows)[number]) =>
			r.isLdc || (r.incomeGroup !== null && r.incomeGroup !== 'H');
		const cityRows = rows.filter((r) => r.kind === 'city');
		expect(cityRows.length).toBeGreaterThanOrEqual(35);
		expect(
			new Set(cityRows.filter(developing).map((r) => r.countryCode)).size
		).toBeGreaterThanOrEqual(30);
		// A city organisation stands for a real place in its own country.
		for (const r of cityRows) expect(r.cityCountry).toBe(r.countryCode);

		expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(organisationKinds));
		// Joined over the past year, verified after joining, so "recently joined" looks lived-in.
		const dates = db
			.select({
				createdAt: table.organisation.createdAt,
				verifiedAt: table.organisation.verifiedAt
			})
			.from(table.organisation)
			.all();
		expect(new Set(dates.map((d) => d.createdAt.toDateString())).size).toBeGreaterThan(30);
		for (const d of dates) {
			expect(d.createdAt.getTime()).toBeLessThan(Date.now());
			if (d.verifiedAt) expect(d.verifiedAt.getTime()).toBeGreaterThan(d.createdAt.getTime());
		}
		for (const r of rows) {
			expect(new URL(r.website!).hostname).toMatch(/\.example\.(org|net)$/);
			expect(r.description.length).toBeGreaterThan(80);
		}
	});

	it('has people for every role, an owner for every organisation and verification in every state', async () => {
		const { db } = await seeded();
		const roles = db.selectDistinct({ role: table.user.siteRole }).from(table.user).all();
		expect(new Set(roles.map((r) => r.role))).toEqual(new Set(['member', 'moderator', 'admin']));

		const withoutOrganisation = db
			.select({ id: table.user.id })
			.from(table.user)
			.leftJoin(table.membership, eq(table.membership.userId, table.user.id))
			.where(isNull(table.membership.userId))
			.all();
		expect(withoutOrganisation.length).toBeGreaterThanOrEqual(3); // admin, moderator, member
		const editors = db
			.select({ n: count() })
			.from(table.membership)
			.where(eq(table.membership.role, 'editor'))
			.get()!.n;
		expect(editors).toBeGreaterThanOrEqual(1);

		const ownerless = db
			.select({ id: table.organisation.id })
			.from(table.organisation)
			.leftJoin(table.membership, eq(table.membership.organisationId, table.organisation.id))
			.where(isNull(table.membership.userId))
			.all();
		expect(ownerless).toEqual([]);

		const states = Object.fromEntries(
			db
				.select({ state: table.organisation.verificationState, n: count() })
				.from(table.organisation)
				.groupBy(table.organisation.verificationState)
				.all()
				.map((r) => [r.state, r.n])
		);
		expect(states.verified).toBeGreaterThan(states.pending);
		expect(states.pending).toBeGreaterThanOrEqual(3);
		expect(states.unverified).toBeGreaterThanOrEqual(1);
		expect(states.rejected).toBe(1);

		const pending = db
			.select({
				evidenceUrl: table.verificationRequest.evidenceUrl,
				note: table.verificationRequest.note
			})
			.from(table.verificationRequest)
			.where(eq(table.verificationRequest.status, 'pending'))
			.all();
		expect(pending.length).toBe(states.pending);
		for (const request of pending) {
			expect(request.evidenceUrl).toMatch(/^https:\/\//);
			expect(request.note).not.toBe('');
		}
		const rejected = db
			.select({ reason: table.verificationRequest.reason })
			.from(table.verificationRequest)
			.where(eq(table.verificationRequest.status, 'rejected'))
			.all();
		expect(rejected).toHaveLength(1);
		expect(rejected[0].reason).toMatch(/registration/);
	});

	it('hashes each distinct demo password once, so first start stays quick', async () => {
		const { db } = await seeded();
		const data = demo.demoData();
		const distinctPasswords = new Set([data.teamPassword, ...data.users.map((u) => u.password)]);
		const distinctHashes = db
			.selectDistinct({ hash: table.user.passwordHash })
			.from(table.user)
			.all();
		expect(distinctHashes).toHaveLength(distinctPasswords.size);
	});

	it('seeds the demo case studies: published across themes, targets and countries, with validations, quietly', async () => {
		const { db, result, output } = await seeded();
		expect(result.caseStudies).toMatchObject({ seeded: true, caseStudies: 52 });
		const states = Object.fromEntries(
			db
				.select({ state: table.caseStudy.workflowState, n: count() })
				.from(table.caseStudy)
				.groupBy(table.caseStudy.workflowState)
				.all()
				.map((row) => [row.state, row.n])
		);
		expect(states).toEqual({ published: 48, draft: 3, submitted: 1 });

		const publishedTags = (vocabulary: 'theme' | 'sdg_target') =>
			db
				.selectDistinct({ value: table.caseStudyTag.value })
				.from(table.caseStudyTag)
				.innerJoin(table.caseStudy, eq(table.caseStudy.id, table.caseStudyTag.caseStudyId))
				.where(
					and(
						eq(table.caseStudyTag.vocabulary, vocabulary),
						eq(table.caseStudy.workflowState, 'published')
					)
				)
				.all();
		expect(publishedTags('theme')).toHaveLength(6);
		expect(publishedTags('sdg_target')).toHaveLength(10);
		const countries = db
			.selectDistinct({ countryCode: table.caseStudy.countryCode })
			.from(table.caseStudy)
			.where(eq(table.caseStudy.workflowState, 'published'))
			.all();
		expect(countries.length).toBeGreaterThanOrEqual(25);

		const validationTotal = db.select({ n: count() }).from(table.caseStudyValidation).get()!.n;
		expect(validationTotal).toBeGreaterThan(0);
		expect(result.caseStudies).toMatchObject({ validations: validationTotal });

		// Quiet: no emails queued, one summary line.
		expect(counts(db).emailOutbox).toBe(0);
		expect(output.match(/^\[demo\] Seeded 52 case studies in \d+ ms\.$/gm)).toHaveLength(1);
	});

	it('gives an existing demo database without case studies its case studies on the next start', async () => {
		const db = freshDb();
		await demo.seedDemoContent(db, { origin, log: () => {} });
		// A demo database from before case studies: the organisations and people, no cases.
		db.delete(table.caseStudy).run();
		db.delete(table.auditLog).where(like(table.auditLog.action, 'case_study.%')).run();
		const before = counts(db);
		const lines: string[] = [];
		const result = await demo.seedDemoContent(db, { origin, log: (line) => lines.push(line) });
		expect(result).toMatchObject({
			seeded: false,
			reason: 'not_empty',
			caseStudies: { seeded: true, caseStudies: 52 }
		});
		const after = counts(db);
		expect(after.organisation).toBe(before.organisation);
		expect(after.user).toBe(before.user);
		expect(after.emailOutbox).toBe(before.emailOutbox);
		expect(after.caseStudy).toBe(52);
		expect(lines.join('\n')).toMatch(/\[demo\] Seeded 52 case studies in \d+ ms\./);
		expect(lines.join('\n')).not.toMatch(/organisations and .* users/);
	});

	it('changes nothing when called again, and prints the logins again', async () => {
		const { db, output } = await seeded();
		const before = counts(db);
		const lines: string[] = [];
		const again = await demo.seedDemoContent(db, { origin, log: (line) => lines.push(line) });
		expect(again).toEqual({
			seeded: false,
			reason: 'not_empty',
			caseStudies: { seeded: false, reason: 'not_empty' },
			matchmaking: { seeded: false, reason: 'not_empty' }
		});
		expect(counts(db)).toEqual(before);
		expect(printedLogins(lines.join('\n'))).toEqual(printedLogins(output));
	});

	it('prints each login with its organisation as it is now, not as it was seeded', async () => {
		const { db, output } = await seeded();
		const official = demo
			.demoData()
			.users.find((u) => u.memberships.some((m) => m.organisation === 'danang'))!;
		const row = (text: string) => text.split('\n').find((line) => line.startsWith(official.email));
		expect(row(output)).toMatch(/Da Nang City People's Committee \(pending\)/);

		const moderator = db
			.select({ id: table.user.id })
			.from(table.user)
			.where(eq(table.user.siteRole, 'moderator'))
			.get()!;
		const request = verification
			.pendingRequests(db)
			.find((r) => r.organisationName === "Da Nang City People's Committee")!;
		verification.decide(
			db,
			{ id: moderator.id, siteRole: 'moderator' },
			{ requestId: request.id, decision: 'approve', reason: '' },
			{ origin }
		);
		const lines: string[] = [];
		await demo.seedDemoContent(db, { origin, log: (line) => lines.push(line) });
		expect(row(lines.join('\n'))).toMatch(/Da Nang City People's Committee \(verified\)/);
	});

	it('prints logins that work: every printed password signs its user in', async () => {
		const { db, output } = await seeded();
		const logins = printedLogins(output);
		expect(logins.size).toBeGreaterThanOrEqual(6);
		expect(output).toMatch(/site admin/);
		expect(output).toMatch(/moderator/);
		expect(output).toMatch(/city official \(owner\)/);
		expect(output).toMatch(/partner staff \(editor\)/);
		expect(output).toMatch(/member, no organisation/);
		let ip = 0;
		for (const [email, password] of logins) {
			expect(password.length).toBeGreaterThanOrEqual(8);
			const result = await accounts.authenticate(
				db,
				{ email, password },
				{ ip: `192.0.2.${++ip}`, config: { origin, rateLimitScale: 1 } }
			);
			expect(result, email).toEqual({
				ok: true,
				userId: accounts.findAccountByEmail(db, email)!.id
			});
		}
		const wrong = await accounts.authenticate(
			db,
			{ email: [...logins.keys()][0], password: 'not-the-demo-password' },
			{ ip: '192.0.2.250', config: { origin, rateLimitScale: 1 } }
		);
		expect(wrong).toEqual({ ok: false, reason: 'invalid_credentials' });
	});

	it('leaves a database that already has organisations alone', async () => {
		const db = freshDb();
		const owner = await accounts.createUser(db, {
			name: 'Existing Owner',
			email: 'owner@example.net',
			password: 'an-existing-password'
		});
		db.insert(table.organisation)
			.values({
				id: 'existing',
				slug: 'existing',
				name: 'Existing',
				kind: 'ngo',
				countryCode: 'KE'
			})
			.run();
		db.insert(table.membership)
			.values({ organisationId: 'existing', userId: owner.id, role: 'owner' })
			.run();
		const before = counts(db);
		const lines: string[] = [];
		const result = await demo.seedDemoContent(db, { origin, log: (line) => lines.push(line) });
		expect(result.seeded).toBe(false);
		expect(counts(db)).toEqual(before);
		expect(lines.join('\n')).toMatch(/No demo logins/);
	});

	it('keeps an account that already uses a demo address (e.g. the first admin) as it was', async () => {
		const db = freshDb();
		const adminEmail = demo.demoData().users.find((u) => u.siteRole === 'admin')!.email;
		const existing = await accounts.createUser(db, {
			name: 'Real Admin',
			email: adminEmail,
			password: 'the-real-admin-password',
			siteRole: 'admin'
		});
		const result = await demo.seedDemoContent(db, { origin, log: () => {} });
		expect(result.seeded).toBe(true);
		const after = accounts.findAccountByEmail(db, adminEmail)!;
		expect(after).toMatchObject({ id: existing.id, name: 'Real Admin' });
		const login = await accounts.authenticate(
			db,
			{ email: adminEmail, password: 'the-real-admin-password' },
			{ ip: '192.0.2.1', config: { origin, rateLimitScale: 1 } }
		);
		expect(login.ok).toBe(true);
	});

	it('writes nothing when seeding fails half-way, and succeeds on the next start', async () => {
		const db = freshDb();
		const before = counts(db);
		// A fault injected in the database itself: the 80th organisation cannot be inserted.
		db.$client.exec(`CREATE TRIGGER fail_demo BEFORE INSERT ON organisation
			WHEN (SELECT count(*) FROM organisation) >= 79
			BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END`);
		await expect(demo.seedDemoContent(db, { origin, log: () => {} })).rejects.toThrow(
			/disk full \(simulated\)/
		);
		expect(db.$client.inTransaction).toBe(false);
		expect(counts(db)).toEqual(before);

		db.$client.exec('DROP TRIGGER fail_demo');
		const result = await demo.seedDemoContent(db, { origin, log: () => {} });
		expect(result.seeded).toBe(true);
	});

	it('fails loudly when a demo city is not in the gazetteer', () => {
		const db = freshDb();
		expect(demo.resolveCity(db, 'Nairobi', 'KE')).toBe(184745);
		expect(() => demo.resolveCity(db, 'Atlantis', 'KE')).toThrow(/Atlantis.*not in the gazetteer/);
		expect(() => demo.resolveCity(db, 'Nairobi', 'FR')).toThrow(/not in the gazetteer/);
	});
});
