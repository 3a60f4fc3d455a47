import { readFileSync } from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as demo from '../../src/lib/server/demo';
import * as caseStudies from '../../src/lib/server/case-studies';
import * as validations from '../../src/lib/server/case-studies/validations';
import { freshDb } from '../support/db';

type DemoCase = {
	slug: string;
	owner: string;
	city: { name: string; country: string };
	stakeholders: { name: string; role: string; organisation: string | null }[];
	workflow: 'draft' | 'submitted' | 'published';
	lastReviewedAt: string;
	validations: {
		organisation: string;
		kind: 'reviewed' | 'replicated';
		note: string;
		replicationSlug: string | null;
	}[];
};

const cases = JSON.parse(readFileSync('db/demo/case-studies.json', 'utf8')) as DemoCase[];

function organisationOf(db: Db, key: string) {
	const organisation = db
		.select({ id: table.organisation.id })
		.from(table.organisation)
		.where(eq(table.organisation.website, demo.websiteOf(key)))
		.get();
	if (!organisation) throw new Error(`no demo organisation ${key}`);
	const owner = db
		.select({ id: table.user.id, siteRole: table.user.siteRole })
		.from(table.membership)
		.innerJoin(table.user, eq(table.user.id, table.membership.userId))
		.where(
			and(eq(table.membership.organisationId, organisation.id), eq(table.membership.role, 'owner'))
		)
		.get()!;
	return { id: organisation.id, owner: owner as Actor };
}

/**
 * The demo file goes through the same functions as the editor: this is the contract the demo
 * seed relies on (organisation keys mapped to ids, the city resolved in the gazetteer).
 */
describe('demo case studies through the domain functions', () => {
	it('creates, publishes and validates every demo case', async () => {
		const db = freshDb();
		await demo.seedDemoContent(db, { origin: 'https://citybridge.test', log: () => {} });
		const moderator = db
			.select({ id: table.user.id, siteRole: table.user.siteRole })
			.from(table.user)
			.where(eq(table.user.siteRole, 'moderator'))
			.get() as Actor;
		const now = new Date('2026-11-28T10:00:00Z');
		const ids = new Map<string, string>();

		for (const entry of cases) {
			const owner = organisationOf(db, entry.owner);
			const input = caseStudies.caseStudyInput.parse({
				...entry,
				stakeholders: entry.stakeholders.map((stakeholder) => ({
					...stakeholder,
					organisation: stakeholder.organisation && organisationOf(db, stakeholder.organisation).id
				})),
				countryCode: entry.city.country,
				cityId: demo.resolveCity(db, entry.city.name, entry.city.country)
			});
			const { id, slug } = caseStudies.createDraft(db, owner.owner, {
				organisationId: owner.id,
				input,
				slug: entry.slug,
				now
			});
			expect(slug).toBe(entry.slug);
			ids.set(entry.slug, id);
			if (entry.workflow !== 'draft') caseStudies.submit(db, owner.owner, id, now);
			if (entry.workflow === 'published') caseStudies.publish(db, moderator, id, now);
			db.update(table.caseStudy)
				.set({ lastReviewedAt: new Date(`${entry.lastReviewedAt}T12:00:00Z`) })
				.where(eq(table.caseStudy.id, id))
				.run();
		}

		for (const entry of cases) {
			for (const validation of entry.validations) {
				const validator = organisationOf(db, validation.organisation);
				validations.recordValidation(
					db,
					validator.owner,
					ids.get(entry.slug)!,
					caseStudies.validationInput.parse({ ...validation, organisationId: validator.id }),
					now
				);
			}
		}

		const all: caseStudies.CaseStudyListItem[] = [];
		let cursor: string | null = null;
		do {
			const page = caseStudies.listPublished(db, {}, { cursor, limit: 100, now });
			all.push(...page.items);
			cursor = page.nextCursor;
		} while (cursor);
		expect(all).toHaveLength(cases.filter((entry) => entry.workflow === 'published').length);
		expect(
			all
				.filter((item) => item.outOfDate)
				.map((item) => item.slug)
				.sort()
		).toEqual([
			'cape-town-day-zero-water',
			'phnom-penh-water-supply-turnaround',
			'windhoek-direct-potable-reuse'
		]);
		const validationTotal = cases.reduce((sum, entry) => sum + entry.validations.length, 0);
		expect(db.select().from(table.caseStudyValidation).all()).toHaveLength(validationTotal);
		expect(caseStudies.submittedCases(db, moderator).map((row) => row.slug)).toEqual([
			'tbilisi-green-city-action-plan'
		]);
		expect(caseStudies.getBySlug(db, null, 'cairo-harassmap')).toBeNull();
	}, 60_000);
});
