import { count, eq, gt, max } from 'drizzle-orm';
import { z } from 'zod';
import organisationData from '../../../db/demo/organisations.json';
import userData from '../../../db/demo/users.json';
import { config } from '$lib/server/config';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import { organisationKinds } from '$lib/server/db/schema';
import { randomId } from '$lib/server/ids';
import * as accounts from '$lib/server/accounts';
import * as audit from '$lib/server/audit';
import * as demoCaseStudies from '$lib/server/demo-case-studies';
import * as demoMatchmaking from '$lib/server/demo-matchmaking';
import * as passwords from '$lib/server/auth/password';
import * as memberships from '$lib/server/memberships';
import * as organisations from '$lib/server/organisations';
import * as places from '$lib/server/places';
import * as verification from '$lib/server/verification';
import * as searchSync from '$lib/server/search/sync';

/*
 * Demo content (DEMO_CONTENT=true): organisations from db/demo/organisations.json, people from
 * db/demo/users.json, written through the same domain functions the site uses. It is seeded once,
 * into a database without organisations, and its logins are printed on every start. The demo case
 * studies are seeded by demo-case-studies.ts.
 */

const DAY = 24 * 60 * 60 * 1000;

const verificationRequestSchema = z.object({
	officialEmail: z.string().optional(),
	evidenceUrl: z.string().optional(),
	note: z.string()
});

const demoOrganisationSchema = z
	.object({
		key: z.string().regex(/^[a-z0-9-]+$/),
		name: z.string(),
		kind: z.enum(organisationKinds),
		country: z.string().length(2),
		city: z.string().optional(),
		languages: z.array(z.string()),
		description: z.string(),
		verification: z.enum(table.verificationStates),
		request: verificationRequestSchema.optional(),
		rejectionReason: z.string().optional()
	})
	.refine(
		(o) => (o.kind === 'city') === (o.city !== undefined),
		'a city (and only a city) names its place'
	)
	.refine(
		(o) =>
			(o.verification === 'pending' || o.verification === 'rejected') === (o.request !== undefined),
		'pending and rejected organisations (only) carry their verification request'
	)
	.refine(
		(o) => (o.verification === 'rejected') === (o.rejectionReason !== undefined),
		'a rejected organisation (only) carries the reason'
	);

const demoUserSchema = z.object({
	name: z.string(),
	email: z.string(),
	password: z.string(),
	siteRole: z.enum(['member', 'moderator', 'admin']),
	memberships: z.array(
		z.object({ organisation: z.string(), role: z.enum(memberships.memberRoles) })
	)
});

export type DemoOrganisation = z.output<typeof demoOrganisationSchema>;
export type DemoUser = z.output<typeof demoUserSchema>;

/** The demo data, checked when first used so a typo fails loudly instead of seeding half a world. */
export function demoData(): {
	organisations: DemoOrganisation[];
	users: DemoUser[];
	teamPassword: string;
} {
	const organisationList = z.array(demoOrganisationSchema).parse(organisationData);
	const { users, teamPassword } = z
		.object({ users: z.array(demoUserSchema), teamPassword: z.string() })
		.parse(userData);
	const keys = new Set(organisationList.map((o) => o.key));
	if (keys.size !== organisationList.length)
		throw new Error('Demo organisation keys must be unique.');
	for (const user of users) {
		for (const { organisation } of user.memberships) {
			if (!keys.has(organisation)) {
				throw new Error(
					`Demo user ${user.email} belongs to unknown organisation "${organisation}".`
				);
			}
		}
	}
	for (const password of [teamPassword, ...users.map((u) => u.password)]) {
		const problem = passwords.passwordProblem(password);
		if (problem) throw new Error(`Demo password "${password}" is refused: ${problem}.`);
	}
	return { organisations: organisationList, users, teamPassword };
}

export const websiteOf = (key: string) => `https://${key}.example.org`;
/** The account that runs an organisation no named demo user owns. */
export const teamEmailOf = (key: string) => `team@${key}.example.org`;

/** The GeoNames place a demo city stands for: same name and country, the most populous. */
export function resolveCity(db: Db, name: string, countryCode: string): number {
	const wanted = places.foldName(name);
	const match = places
		.searchCities(db, name, { countryCode, limit: 100 })
		.find((city) => places.foldName(city.name) === wanted);
	if (!match) {
		throw new Error(
			`Demo city "${name}" (${countryCode}) is not in the gazetteer: is the reference data loaded?`
		);
	}
	return match.id;
}

/** A stable pseudo-random age in days (1–400) per key, so "recently joined" looks lived-in. */
function ageInDays(key: string): number {
	let hash = 0;
	for (const ch of key) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
	return 1 + (hash % 400);
}

function organisationCount(db: Db): number {
	return db.select({ n: count() }).from(table.organisation).get()?.n ?? 0;
}

type OrganisationSeedResult =
	| { seeded: true; organisations: number; users: number; milliseconds: number }
	| { seeded: false; reason: 'not_empty' };

export type DemoSeedResult = OrganisationSeedResult & {
	caseStudies: demoCaseStudies.DemoCaseStudySeedResult;
	matchmaking: demoMatchmaking.DemoMatchmakingSeedResult;
};

type Log = (line: string) => void;

/**
 * Seeds the demo organisations and people when the database has no organisations yet, and the
 * demo case studies when it has no case studies yet (so a demo database from before case studies
 * gets them on its next start), and the demo needs, offers and partnerships when it has no needs
 * or offers yet, each in one transaction; then prints the demo logins. Safe to call on every start.
 */
export async function seedDemoContent(
	db: Db,
	options: { log?: Log; origin?: string; now?: Date } = {}
): Promise<DemoSeedResult> {
	const log = options.log ?? console.log;
	const data = demoData();
	const now = options.now ?? new Date();
	let result: OrganisationSeedResult = { seeded: false, reason: 'not_empty' };
	if (organisationCount(db) === 0) {
		result = await seed(db, data, options.origin ?? config.origin, now);
		if (result.seeded) {
			log(
				`[demo] Seeded ${result.organisations} organisations and ${result.users} users in ${result.milliseconds} ms.`
			);
		}
	}
	const moderator = data.users.find((user) => user.siteRole === 'moderator');
	const caseStudies = moderator
		? demoCaseStudies.seedDemoCaseStudies(db, { moderatorEmail: moderator.email, now })
		: ({ seeded: false, reason: 'no_demo_organisations' } as const);
	if (caseStudies.seeded) {
		log(`[demo] Seeded ${caseStudies.caseStudies} case studies in ${caseStudies.milliseconds} ms.`);
	}
	const matchmaking = demoMatchmaking.seedDemoMatchmaking(db, { now });
	if (matchmaking.seeded) {
		log(
			`[demo] Seeded ${matchmaking.needs} needs, ${matchmaking.offers} offers, ${matchmaking.partnerships} partnerships and ${matchmaking.introductions} more introductions in ${matchmaking.milliseconds} ms.`
		);
	}
	log(demoLoginTable(db, data));
	return { ...result, caseStudies, matchmaking };
}

async function seed(
	db: Db,
	data: ReturnType<typeof demoData>,
	origin: string,
	now: Date
): Promise<OrganisationSeedResult> {
	const started = performance.now();
	// Hash each distinct password once (argon2id costs ~50–100 ms), in parallel, before the transaction.
	const distinct = [...new Set([data.teamPassword, ...data.users.map((u) => u.password)])];
	const hashes = new Map(
		await Promise.all(
			distinct.map(async (password) => [password, await passwords.hashPassword(password)] as const)
		)
	);
	const cityIds = new Map(
		data.organisations
			.filter((o) => o.city !== undefined)
			.map((o) => [o.key, resolveCity(db, o.city!, o.country)])
	);

	const client = db.$client;
	// IMMEDIATE: the emptiness check and the writes cannot interleave with another writer.
	client.exec('BEGIN IMMEDIATE');
	try {
		if (organisationCount(db) > 0) {
			client.exec('ROLLBACK');
			return { seeded: false, reason: 'not_empty' };
		}
		const lastEmail = db
			.select({ id: max(table.emailOutbox.id) })
			.from(table.emailOutbox)
			.get();
		const created = await writeDemoContent(db, data, { hashes, cityIds, origin, now });
		// The invitations and the rejection notice the domain functions queued go to made-up
		// demo addresses: a demo start sends nothing.
		db.delete(table.emailOutbox)
			.where(gt(table.emailOutbox.id, lastEmail?.id ?? 0))
			.run();
		client.exec('COMMIT');
		return {
			seeded: true,
			organisations: created.organisations,
			users: created.users,
			milliseconds: Math.round(performance.now() - started)
		};
	} catch (error) {
		if (client.inTransaction) client.exec('ROLLBACK');
		throw error;
	}
}

/**
 * Writes everything inside the caller's transaction. `accounts.createUser` is async only for
 * hashing; given a hash it awaits nothing, so the transaction never waits on I/O. The domain
 * functions' own transactions nest as savepoints.
 */
async function writeDemoContent(
	db: Db,
	data: ReturnType<typeof demoData>,
	context: { hashes: Map<string, string>; cityIds: Map<string, number>; origin: string; now: Date }
) {
	const { hashes, cityIds, origin, now } = context;
	let userCount = 0;
	async function ensureUser(input: {
		name: string;
		email: string;
		password: string;
		siteRole: DemoUser['siteRole'];
	}) {
		// The first admin (ADMIN_EMAIL) may already hold a demo address: reuse it, unchanged.
		const existing = accounts.findAccountByEmail(db, input.email);
		if (existing) return existing;
		userCount += 1;
		return accounts.createUser(db, {
			name: input.name,
			email: input.email,
			siteRole: input.siteRole,
			emailVerified: true,
			passwordHash: hashes.get(input.password)!
		});
	}

	const people = new Map<string, accounts.Account>();
	for (const user of data.users) people.set(user.email, await ensureUser(user));
	const moderator = [...people.values()].find((p) => p.siteRole === 'moderator');
	if (!moderator) throw new Error('The demo users need a moderator to decide verifications.');
	const moderatorActor = { id: moderator.id, siteRole: moderator.siteRole };

	let pendingCount = 0;
	const ownerEmailOf = new Map<string, string>();
	for (const user of data.users) {
		for (const membership of user.memberships)
			if (membership.role === 'owner') ownerEmailOf.set(membership.organisation, user.email);
	}

	for (const demo of data.organisations) {
		const ownerEmail = ownerEmailOf.get(demo.key);
		const owner = ownerEmail
			? people.get(ownerEmail)!
			: await ensureUser({
					name: `${demo.name} team`,
					email: teamEmailOf(demo.key),
					password: data.teamPassword,
					siteRole: 'member'
				});
		const input = organisations.organisationInput.parse({
			name: demo.name,
			kind: demo.kind,
			country: demo.country,
			city: cityIds.has(demo.key) ? String(cityIds.get(demo.key)) : undefined,
			website: websiteOf(demo.key),
			description: demo.description,
			languages: demo.languages
		});
		const { id, slug } = organisations.createOrganisation(db, owner.id, input);
		const age = ageInDays(demo.key);
		const joinedAt = new Date(now.getTime() - age * DAY);
		db.update(table.organisation)
			.set({ createdAt: joinedAt, updatedAt: joinedAt })
			.where(eq(table.organisation.id, id))
			.run();
		// Its search document is sorted by the date it joined.
		searchSync.refreshRecords(db, [{ type: 'organisation', recordId: id }]);

		for (const user of data.users) {
			const editor = user.memberships.find(
				(membership) => membership.organisation === demo.key && membership.role === 'editor'
			);
			if (!editor) continue;
			const { token } = memberships.inviteMember(db, {
				organisationId: id,
				invitedBy: owner.id,
				email: user.email,
				role: 'editor',
				origin,
				now
			});
			memberships.acceptInvitation(db, token, people.get(user.email)!, now);
		}

		if (demo.verification === 'verified') {
			recordPastApproval(db, {
				organisationId: id,
				name: demo.name,
				slug,
				requestedBy: owner.id,
				decidedBy: moderator.id,
				officialEmail: owner.email,
				requestedAt: new Date(joinedAt.getTime() + 1 * DAY),
				decidedAt: new Date(joinedAt.getTime() + 3 * DAY)
			});
		} else if (demo.request) {
			const { id: requestId } = verification.requestVerification(db, {
				organisationId: id,
				requestedBy: owner.id,
				officialEmail: demo.request.officialEmail ?? null,
				evidenceUrl: demo.request.evidenceUrl ?? null,
				note: demo.request.note
			});
			// Requests waiting a few days each, as a moderation queue would look.
			pendingCount += 1;
			const requestedAt = new Date(now.getTime() - Math.min(age - 0.5, 3 * pendingCount) * DAY);
			db.update(table.verificationRequest)
				.set({ createdAt: requestedAt })
				.where(eq(table.verificationRequest.id, requestId))
				.run();
			if (demo.verification === 'rejected') {
				verification.decide(
					db,
					moderatorActor,
					{ requestId, decision: 'reject', reason: demo.rejectionReason! },
					{ origin, now }
				);
			}
		}
	}
	return { organisations: data.organisations.length, users: userCount };
}

/**
 * History for organisations that arrive verified: an approved request and its audit entry.
 * Written directly because `verification.decide` emails every owner, and seventy approval
 * emails at first start would bury the demo logins in the console.
 */
function recordPastApproval(
	db: Db,
	row: {
		organisationId: string;
		name: string;
		slug: string;
		requestedBy: string;
		decidedBy: string;
		officialEmail: string;
		requestedAt: Date;
		decidedAt: Date;
	}
) {
	const requestId = randomId();
	db.insert(table.verificationRequest)
		.values({
			id: requestId,
			organisationId: row.organisationId,
			requestedBy: row.requestedBy,
			officialEmail: row.officialEmail,
			note: '',
			status: 'approved',
			decidedBy: row.decidedBy,
			decidedAt: row.decidedAt,
			createdAt: row.requestedAt
		})
		.run();
	db.update(table.organisation)
		.set({ verificationState: 'verified', verifiedAt: row.decidedAt, updatedAt: row.decidedAt })
		.where(eq(table.organisation.id, row.organisationId))
		.run();
	audit.record(db, {
		actorId: row.decidedBy,
		action: 'verification.approved',
		subjectType: 'organisation',
		subjectId: row.organisationId,
		detail: { requestId, name: row.name, slug: row.slug, reason: null }
	});
}

/** The user's organisations as they are now (roles and verification change after seeding). */
function currentMemberships(db: Db, userId: string) {
	return db
		.select({
			name: table.organisation.name,
			kind: table.organisation.kind,
			verificationState: table.organisation.verificationState,
			role: table.membership.role
		})
		.from(table.membership)
		.innerJoin(table.organisation, eq(table.membership.organisationId, table.organisation.id))
		.where(eq(table.membership.userId, userId))
		.orderBy(table.organisation.name)
		.all();
}

function roleLabel(
	siteRole: accounts.Account['siteRole'],
	organisationsOfUser: ReturnType<typeof currentMemberships>
): string {
	if (siteRole === 'admin') return 'site admin';
	if (siteRole === 'moderator') return 'moderator';
	const first = organisationsOfUser[0];
	if (!first) return 'member, no organisation';
	return `${first.kind === 'city' ? 'city official' : 'partner staff'} (${first.role})`;
}

/**
 * The logins a newcomer can use, as a plain-text table: the demo accounts that exist, with their
 * current role and organisations.
 */
export function demoLoginTable(db: Db, data: ReturnType<typeof demoData> = demoData()): string {
	const rows = data.users.flatMap((user) => {
		const account = accounts.findAccountByEmail(db, user.email);
		if (!account) return [];
		const organisationsOfUser = currentMemberships(db, account.id);
		const organisationList = organisationsOfUser
			.map((o) => `${o.name} (${o.verificationState})`)
			.join(', ');
		return [
			[
				account.email,
				user.password,
				roleLabel(account.siteRole, organisationsOfUser),
				organisationList || '—'
			]
		];
	});
	if (rows.length === 0) {
		return '[demo] No demo logins in this database: it had organisations before demo mode was on.';
	}
	const header = ['Email', 'Password', 'Role', 'Organisation'];
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	const line = (cells: string[]) =>
		cells
			.map((c, i) => c.padEnd(widths[i]))
			.join(' | ')
			.trimEnd();
	const rule = widths.map((w) => '-'.repeat(w)).join('-+-');
	const teamExample = data.organisations.find(
		(o) =>
			!data.users.some((u) => u.memberships.some((membership) => membership.organisation === o.key))
	);
	return [
		'',
		'[demo] Demo mode is on. Sign in with any of these demo accounts (demo only, never in production):',
		'',
		line(header),
		rule,
		...rows.map(line),
		'',
		`Every other demo organisation is run by team@<its site's host>, password ${data.teamPassword}` +
			(teamExample ? ` (e.g. ${teamEmailOf(teamExample.key)}).` : '.'),
		''
	].join('\n');
}
