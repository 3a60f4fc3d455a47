import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import * as table from '../../src/lib/server/db/schema';
import * as demo from '../../src/lib/server/demo';
import * as caseStudies from '../../src/lib/server/case-studies';
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

/**
 * The demo seed writes the demo file through the same functions as the editor (organisation keys
 * mapped to ids, the city resolved in the gazetteer): every case arrives as the file describes it.
 */
describe('demo case studies through the domain functions', () => {
	it('creates, publishes and validates every demo case', async () => {
		const db = freshDb();
		const now = new Date('2026-11-28T10:00:00Z');
		await demo.seedDemoContent(db, { origin: 'https://citybridge.test', log: () => {}, now });
		const moderator = db
			.select({ id: table.user.id, siteRole: table.user.siteRole })
			.from(table.user)
			.where(eq(table.user.siteRole, 'moderator'))
			.get() as Actor;

		const rows = db
			.select({
				slug: table.caseStudy.slug,
				workflowState: table.caseStudy.workflowState,
				website: table.organisation.website,
				lastReviewedAt: table.caseStudy.lastReviewedAt
			})
			.from(table.caseStudy)
			.innerJoin(table.organisation, eq(table.organisation.id, table.caseStudy.organisationId))
			.all();
		const bySlug = new Map(rows.map((row) => [row.slug, row]));
		expect(rows).toHaveLength(cases.length);
		for (const entry of cases) {
			expect(bySlug.get(entry.slug), entry.slug).toEqual({
				slug: entry.slug,
				workflowState: entry.workflow,
				website: demo.websiteOf(entry.owner),
				lastReviewedAt: new Date(`${entry.lastReviewedAt}T12:00:00Z`)
			});
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
