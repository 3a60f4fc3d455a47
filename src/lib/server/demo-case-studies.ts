import { and, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import caseStudyData from '../../../db/demo/case-studies.json';
import type { Actor } from '$lib/server/auth/policy';
import type { Db } from '$lib/server/db';
import * as table from '$lib/server/db/schema';
import * as caseStudies from '$lib/server/case-studies';
import * as validations from '$lib/server/case-studies/validations';
import { resolveCity, websiteOf } from '$lib/server/demo';

/*
 * The demo case studies (db/demo/case-studies.json), written through the same case-study
 * functions as the editor, by the owners of the demo organisations. Seeded once, into a database
 * without case studies, after the demo organisations exist.
 */

/** The fields the seed reads itself; the content is checked by `caseStudyInput`. */
const demoCaseSchema = z
	.object({
		slug: z.string().regex(/^[a-z0-9-]+$/),
		owner: z.string(),
		city: z.object({ name: z.string(), country: z.string().length(2) }),
		stakeholders: z.array(z.looseObject({ organisation: z.string().nullable() })),
		workflow: z.enum(['draft', 'submitted', 'published']),
		lastReviewedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
		validations: z.array(
			z.object({
				organisation: z.string(),
				kind: z.enum(table.validationKinds),
				note: z.string(),
				replicationSlug: z.string().nullable()
			})
		)
	})
	.loose();

export type DemoCaseStudy = z.output<typeof demoCaseSchema>;

export function demoCaseStudies(): DemoCaseStudy[] {
	return z.array(demoCaseSchema).parse(caseStudyData);
}

export type DemoCaseStudySeedResult =
	| { seeded: true; caseStudies: number; validations: number; milliseconds: number }
	| { seeded: false; reason: 'not_empty' | 'no_demo_organisations' };

function caseStudyCount(db: Db): number {
	return db.select({ n: count() }).from(table.caseStudy).get()?.n ?? 0;
}

/** Every demo organisation the cases name, by key, with the account that owns it. */
export function organisationsByKey(db: Db, keys: string[]) {
	const rows = db
		.select({
			website: table.organisation.website,
			id: table.organisation.id,
			ownerId: table.user.id,
			ownerSiteRole: table.user.siteRole
		})
		.from(table.organisation)
		.innerJoin(
			table.membership,
			and(
				eq(table.membership.organisationId, table.organisation.id),
				eq(table.membership.role, 'owner')
			)
		)
		.innerJoin(table.user, eq(table.user.id, table.membership.userId))
		.where(
			inArray(
				table.organisation.website,
				keys.map((key) => websiteOf(key))
			)
		)
		.all();
	const byWebsite = new Map(rows.map((row) => [row.website, row]));
	const found = new Map<string, { id: string; owner: Actor }>();
	for (const key of keys) {
		const row = byWebsite.get(websiteOf(key));
		if (row)
			found.set(key, { id: row.id, owner: { id: row.ownerId, siteRole: row.ownerSiteRole } });
	}
	return found;
}

/**
 * Seeds the demo case studies when there are none and the demo organisations exist, in one
 * transaction (the domain functions' own transactions nest as savepoints).
 */
export function seedDemoCaseStudies(
	db: Db,
	options: { moderatorEmail: string; now: Date }
): DemoCaseStudySeedResult {
	if (caseStudyCount(db) > 0) return { seeded: false, reason: 'not_empty' };
	const started = performance.now();
	const cases = demoCaseStudies();
	const keys = [
		...new Set(
			cases.flatMap((entry) => [
				entry.owner,
				...entry.stakeholders.flatMap((s) => (s.organisation ? [s.organisation] : [])),
				...entry.validations.map((v) => v.organisation)
			])
		)
	];
	const moderator = db
		.select({ id: table.user.id, siteRole: table.user.siteRole })
		.from(table.user)
		.where(eq(table.user.email, options.moderatorEmail))
		.get();
	const organisations = organisationsByKey(db, keys);
	// A database that had other organisations before demo mode: no demo authors to write as.
	if (!moderator || organisations.size < keys.length) {
		return { seeded: false, reason: 'no_demo_organisations' };
	}
	const cityIds = new Map(
		cases.map((entry) => [entry.slug, resolveCity(db, entry.city.name, entry.city.country)])
	);

	const client = db.$client;
	// IMMEDIATE: the emptiness check and the writes cannot interleave with another writer.
	client.exec('BEGIN IMMEDIATE');
	try {
		if (caseStudyCount(db) > 0) {
			client.exec('ROLLBACK');
			return { seeded: false, reason: 'not_empty' };
		}
		const written = writeCaseStudies(db, cases, {
			organisations,
			cityIds,
			moderator,
			now: options.now
		});
		client.exec('COMMIT');
		return {
			seeded: true,
			...written,
			milliseconds: Math.round(performance.now() - started)
		};
	} catch (error) {
		if (client.inTransaction) client.exec('ROLLBACK');
		throw error;
	}
}

function writeCaseStudies(
	db: Db,
	cases: DemoCaseStudy[],
	context: {
		organisations: Map<string, { id: string; owner: Actor }>;
		cityIds: Map<string, number>;
		moderator: Actor;
		now: Date;
	}
) {
	const { organisations, cityIds, moderator, now } = context;
	const organisationOf = (key: string) => organisations.get(key)!;
	const ids = new Map<string, string>();

	for (const entry of cases) {
		const owner = organisationOf(entry.owner);
		const input = caseStudies.caseStudyInput.parse({
			...entry,
			stakeholders: entry.stakeholders.map((stakeholder) => ({
				...stakeholder,
				organisation: stakeholder.organisation && organisationOf(stakeholder.organisation).id
			})),
			countryCode: entry.city.country,
			cityId: cityIds.get(entry.slug)
		});
		const { id } = caseStudies.createDraft(db, owner.owner, {
			organisationId: owner.id,
			input,
			slug: entry.slug,
			now
		});
		ids.set(entry.slug, id);
		if (entry.workflow !== 'draft') caseStudies.submit(db, owner.owner, id, now);
		if (entry.workflow === 'published') caseStudies.publish(db, moderator, id, now);
		// The file says when each case was last reviewed, so freshness looks as it would in use.
		db.update(table.caseStudy)
			.set({ lastReviewedAt: new Date(`${entry.lastReviewedAt}T12:00:00Z`) })
			.where(eq(table.caseStudy.id, id))
			.run();
	}

	// After every case exists, so a replication can link a case seeded later in the file.
	let validationCount = 0;
	for (const entry of cases) {
		for (const validation of entry.validations) {
			const validator = organisationOf(validation.organisation);
			validations.recordValidation(
				db,
				validator.owner,
				ids.get(entry.slug)!,
				caseStudies.validationInput.parse({ ...validation, organisationId: validator.id }),
				now
			);
			validationCount += 1;
		}
	}
	return { caseStudies: cases.length, validations: validationCount };
}
