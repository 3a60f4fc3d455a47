import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import * as audit from '../../src/lib/server/audit';
import { freshDb } from '../support/db';
import {
	ensurePlaces,
	makeUser,
	places,
	ruleErrorOf,
	type TestUser
} from '../support/org-fixtures';

function input(values: Record<string, unknown>) {
	const parsed = organisations.organisationInput.safeParse({
		name: 'Nairobi City County',
		kind: 'city',
		country: 'KE',
		city: String(places.nairobi),
		website: 'https://nairobi.go.ke',
		description: 'Capital city.',
		languages: ['en', 'sw'],
		...values
	});
	if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
	return parsed.data;
}

let db: Db;
let owner: TestUser;

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db);
});

describe('slugify', () => {
	it('transliterates names to lower-case ASCII', () => {
		expect(organisations.slugify('Ville de Québec')).toBe('ville-de-quebec');
		expect(organisations.slugify('  São Paulo — Prefeitura!  ')).toBe('sao-paulo-prefeitura');
		expect(organisations.slugify('Straße Øresund Łódź')).toBe('strasse-oresund-lodz');
		expect(organisations.slugify('北京')).toBe('');
	});
});

describe('organisation input', () => {
	it('refuses non-web URLs, unknown kinds and oversize descriptions', () => {
		const result = organisations.organisationInput.safeParse({
			name: 'X',
			kind: 'cult',
			country: 'Kenya',
			website: 'javascript:alert(1)',
			description: 'a'.repeat(2001),
			languages: ['xx']
		});
		expect(result.success).toBe(false);
		const fields = result.error!.issues.map((issue) => issue.path.join('.'));
		expect(fields).toEqual(
			expect.arrayContaining(['name', 'kind', 'country', 'website', 'description', 'languages.0'])
		);
	});

	it('counts CRLF line breaks once and accepts exactly 2000 characters', () => {
		const text = 'a'.repeat(999) + '\r\n' + 'b'.repeat(1000);
		expect(input({ description: text }).description).toHaveLength(2000);
	});

	it('accepts an empty website and city as null', () => {
		const data = input({ kind: 'ngo', city: '', website: '' });
		expect(data.city).toBeNull();
		expect(data.website).toBeNull();
	});
});

describe('createOrganisation', () => {
	it('creates the organisation with its creator as owner and an audit row', () => {
		const created = organisations.createOrganisation(db, owner.id, input({}));
		expect(created.slug).toBe('nairobi-city-county');
		expect(organisations.roleOf(db, created.id, owner.id)).toBe('owner');
		const profile = organisations.profile(db, created.slug)!;
		expect(profile.city?.name).toBe('Nairobi');
		expect(profile.country.code).toBe('KE');
		expect(profile.memberCount).toBe(1);
		expect(profile.verificationState).toBe('unverified');
		expect(audit.entriesFor(db, 'organisation', created.id).map((e) => e.action)).toEqual([
			'organisation.created'
		]);
	});

	it('gives clashing names a numbered slug and never uses reserved words', () => {
		const first = organisations.createOrganisation(db, owner.id, input({ kind: 'ngo', city: '' }));
		const second = organisations.createOrganisation(db, owner.id, input({ kind: 'ngo', city: '' }));
		const third = organisations.createOrganisation(db, owner.id, input({ kind: 'ngo', city: '' }));
		expect([first.slug, second.slug, third.slug]).toEqual([
			'nairobi-city-county',
			'nairobi-city-county-2',
			'nairobi-city-county-3'
		]);
		const reserved = organisations.createOrganisation(
			db,
			owner.id,
			input({ name: 'New', kind: 'ngo', city: '' })
		);
		expect(reserved.slug).toBe('new-2');
		const nonLatin = organisations.createOrganisation(
			db,
			owner.id,
			input({ name: '北京市', kind: 'ngo', city: '' })
		);
		expect(nonLatin.slug).toBe('organisation');
	});

	it('requires the city for a city organisation', () => {
		const form = organisations.organisationInput.safeParse({
			name: 'Somewhere',
			kind: 'city',
			country: 'KE',
			city: '',
			website: 'not a url'
		});
		expect(form.error?.issues.map((issue) => issue.path[0])).toEqual(['website', 'city']);
		const withoutCity = { ...input({ kind: 'ngo', city: '' }), kind: 'city' as const };
		const error = ruleErrorOf(() => organisations.createOrganisation(db, owner.id, withoutCity));
		expect(error.errors.city).toBeTruthy();
	});

	it('refuses an unknown country, an unknown city and a city in another country', () => {
		expect(
			ruleErrorOf(() => organisations.createOrganisation(db, owner.id, input({ country: 'ZZ' })))
				.errors.country
		).toBeTruthy();
		expect(
			ruleErrorOf(() =>
				organisations.createOrganisation(db, owner.id, input({ city: '999999999' }))
			).errors.city
		).toBeTruthy();
		const other = ruleErrorOf(() =>
			organisations.createOrganisation(db, owner.id, input({ city: String(places.paris) }))
		);
		expect(other.errors.city).toMatch(/country/i);
		expect(db.select().from(table.organisation).all()).toHaveLength(0);
		expect(db.select().from(table.membership).all()).toHaveLength(0);
	});
});

describe('updateOrganisation', () => {
	it('changes the profile but keeps the slug', () => {
		const created = organisations.createOrganisation(db, owner.id, input({}));
		organisations.updateOrganisation(
			db,
			owner.id,
			created.id,
			input({ name: 'Nairobi County', city: String(places.mombasa), description: 'Updated' })
		);
		const profile = organisations.profile(db, created.slug)!;
		expect(profile.name).toBe('Nairobi County');
		expect(profile.city?.name).toBe('Mombasa');
		expect(profile.description).toBe('Updated');
	});

	it('refuses a city in another country and leaves the row unchanged', () => {
		const created = organisations.createOrganisation(db, owner.id, input({}));
		ruleErrorOf(() =>
			organisations.updateOrganisation(
				db,
				owner.id,
				created.id,
				input({ city: String(places.paris) })
			)
		);
		expect(organisations.profile(db, created.slug)!.city?.name).toBe('Nairobi');
	});

	it('answers not found for an unknown organisation', () => {
		expect(
			ruleErrorOf(() => organisations.updateOrganisation(db, owner.id, 'nope', input({}))).status
		).toBe(404);
	});
});

describe('listing', () => {
	beforeEach(() => {
		organisations.createOrganisation(db, owner.id, input({ name: 'Nairobi City' }));
		organisations.createOrganisation(
			db,
			owner.id,
			input({ name: 'Mombasa Tech Hub', kind: 'private_sector', city: String(places.mombasa) })
		);
		organisations.createOrganisation(
			db,
			owner.id,
			input({ name: 'Paris Urban Lab', kind: 'academia', country: 'FR', city: '' })
		);
		db.update(table.organisation)
			.set({ verificationState: 'verified' })
			.where(eq(table.organisation.slug, 'paris-urban-lab'))
			.run();
	});

	const all: organisations.ListFilters = {
		kind: [],
		region: [],
		country: [],
		income: [],
		verified: false,
		q: ''
	};

	it('filters by kind, region, sub-region, country, income, verified and name', () => {
		const names = (filters: Partial<organisations.ListFilters>) =>
			organisations.directoryPage(db, { ...all, ...filters }, 1).rows.map((r) => r.name);
		expect(names({})).toEqual(['Mombasa Tech Hub', 'Nairobi City', 'Paris Urban Lab']);
		expect(names({ kind: ['city', 'academia'] })).toEqual(['Nairobi City', 'Paris Urban Lab']);
		expect(names({ region: ['002'] })).toEqual(['Mombasa Tech Hub', 'Nairobi City']);
		expect(names({ region: ['155'] })).toEqual(['Paris Urban Lab']);
		expect(names({ country: ['FR'] })).toEqual(['Paris Urban Lab']);
		expect(names({ income: ['LM'] })).toEqual(['Mombasa Tech Hub', 'Nairobi City']);
		expect(names({ verified: true })).toEqual(['Paris Urban Lab']);
		expect(names({ q: 'tech' })).toEqual(['Mombasa Tech Hub']);
		expect(names({ q: '%' })).toEqual([]);
	});

	it('pages the API list with a cursor until next is null', () => {
		const first = organisations.listSlice(db, all, { limit: 2, after: null });
		expect(first.total).toBe(3);
		expect(first.rows.map((r) => r.slug)).toEqual(['mombasa-tech-hub', 'nairobi-city']);
		expect(first.next).toBeTruthy();
		const second = organisations.listSlice(db, all, {
			limit: 2,
			after: organisations.decodeCursor(first.next!)
		});
		expect(second.rows.map((r) => r.slug)).toEqual(['paris-urban-lab']);
		expect(second.next).toBeNull();
		expect(organisations.decodeCursor('not-a-cursor')).toBeNull();
	});

	it('parses API filters strictly and page filters leniently', () => {
		const bad = organisations.parseFilters(
			new URLSearchParams('kind=cult&region=Africa&country=KEN&income=X&verified=maybe')
		);
		expect(bad.success).toBe(false);
		expect(bad.error!.issues.map((i) => i.path[0])).toEqual(
			expect.arrayContaining(['kind', 'region', 'country', 'income', 'verified'])
		);
		const good = organisations.parseFilters(new URLSearchParams('kind=city&kind=ngo&country=ke'));
		expect(good.data).toMatchObject({ kind: ['city', 'ngo'], country: ['KE'], verified: false });
		expect(
			organisations.filtersFromPage(new URLSearchParams('kind=cult&kind=city&verified=on&region='))
		).toEqual({ ...all, kind: ['city'], verified: true });
	});

	it('counts the headline figures and lists the newest organisations', () => {
		expect(organisations.headlineFigures(db)).toEqual({
			organisations: 3,
			verified: 1,
			cityOrganisations: 1,
			countries: 2
		});
		expect(organisations.recentlyJoined(db, 2)).toHaveLength(2);
	});
});
