import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as caseStudies from '../../src/lib/server/case-studies';
import * as partnerships from '../../src/lib/server/partnerships';
import { freshDb } from '../support/db';
import { actorOf } from '../support/listing-fixtures';
import { makeUser, ruleErrorOf } from '../support/org-fixtures';
import { partnershipAt, sampleResult } from '../support/partnership-fixtures';

const forbidden = expect.objectContaining({ status: 403 });

let db: Db;

beforeEach(() => {
	db = freshDb();
});

describe('a draft case study from a completed partnership', () => {
	it('is prefilled from the record, owned by the actor’s party, and linked back', () => {
		const done = partnershipAt(db, 'completed', { public: true });
		const id = done.partnershipId;
		partnerships.saveMilestones(db, done.partner.actor, id, [
			{ title: 'Sirens installed', dueOn: '2026-03-01' }
		]);
		partnerships.postUpdate(db, done.partner.actor, id, {
			body: 'Trained 24 ward officers\non the new alert system.'
		});
		const draft = partnerships.draftCaseStudyFrom(db, done.partner.actor, id);
		expect(draft.created).toBe(true);

		const page = caseStudies.getBySlug(db, done.partner.actor, draft.slug)!;
		expect(page.workflowState).toBe('draft');
		expect(page.organisation.id).toBe(done.partner.organisationId);
		expect(page.title).toMatch(/Early warning for flash floods/);
		expect(page.summary).toMatch(/a partnership between/);
		expect(page.context).toMatch(/Informal settlements/);
		expect(page.objectives).toContain('- Sirens installed (2026-03-01)');
		expect(page.whatWasDone).toMatch(/Trained 24 ward officers on the new alert system\./);
		expect(page.themes).toEqual(['S']);
		expect(page.sdgTargets).toEqual(['11.5', '11.b']);
		expect(page.results.map((result) => result.indicator)).toEqual([sampleResult.indicator]);
		expect(page.stakeholders.map((stakeholder) => stakeholder.role)).toEqual([
			'Beneficiary',
			'Lead partner'
		]);
		expect(page.stakeholders[0].organisationSlug).toBe(done.city.slug);
		// The practice took place in the beneficiary city, not where the partner sits.
		expect(page.country.code).toBe('KE');
		expect(page.cityName).toBe('Nairobi');

		const row = db.select().from(table.partnership).where(eq(table.partnership.id, id)).get()!;
		expect(row.resultingCaseStudyId).toBe(draft.id);
		// A draft is the owner's business: the partner's members see the link, the public not yet.
		expect(partnerships.getPartnership(db, done.partner.actor, id)!.resultingCaseStudy?.slug).toBe(
			draft.slug
		);
		expect(partnerships.getPartnership(db, null, id)!.resultingCaseStudy).toBeNull();
		expect(partnerships.publicPartnership(db, id)!.resultingCaseStudy).toBeNull();
	});

	it('returns the same draft when asked twice', () => {
		const done = partnershipAt(db, 'completed');
		const first = partnerships.draftCaseStudyFrom(db, done.city.actor, done.partnershipId);
		const second = partnerships.draftCaseStudyFrom(db, done.partner.actor, done.partnershipId);
		expect(second).toEqual({ id: first.id, slug: first.slug, created: false });
		expect(db.select().from(table.caseStudy).all()).toHaveLength(1);
	});

	it('may be owned by a chosen party of the actor’s only', () => {
		const done = partnershipAt(db, 'completed');
		expect(() =>
			partnerships.draftCaseStudyFrom(db, done.partner.actor, done.partnershipId, {
				organisationId: done.city.organisationId
			})
		).toThrow(forbidden);
		const draft = partnerships.draftCaseStudyFrom(db, done.city.actor, done.partnershipId, {
			organisationId: done.city.organisationId
		});
		expect(caseStudies.getBySlug(db, done.city.actor, draft.slug)!.organisation.id).toBe(
			done.city.organisationId
		);
	});

	it('is refused before completion and to anyone outside the parties', () => {
		for (const status of ['proposed', 'agreed', 'active', 'discontinued'] as const) {
			const record = partnershipAt(db, status);
			const error = ruleErrorOf(() =>
				partnerships.draftCaseStudyFrom(db, record.city.actor, record.partnershipId)
			);
			expect(error.status).toBe(409);
			expect(error.message).toMatch(/completed partnership/);
		}
		const done = partnershipAt(db, 'completed');
		const stranger = actorOf(makeUser(db));
		expect(
			ruleErrorOf(() => partnerships.draftCaseStudyFrom(db, stranger, done.partnershipId)).status
		).toBe(404);
		expect(() =>
			partnerships.draftCaseStudyFrom(db, actorOf(makeUser(db, 'moderator')), done.partnershipId)
		).toThrow(forbidden);
		expect(
			ruleErrorOf(() => partnerships.draftCaseStudyFrom(db, done.city.actor, 'missing')).status
		).toBe(404);
		expect(db.select().from(table.caseStudy).all()).toHaveLength(0);
	});
});
