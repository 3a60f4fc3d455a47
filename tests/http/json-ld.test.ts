import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '$lib/server/db';
import * as organisations from '$lib/server/organisations';
import { signedIn, type SignedIn } from '../support/case-fixtures';
import { HttpClient } from '../support/http-client';
import { makeOrganisation } from '../support/listing-fixtures';
import { partnershipAt } from '../support/partnership-fixtures';

/**
 * schema.org JSON-LD in the <head> of organisation and partnership pages, read over HTTP from
 * the built server: it parses, names the record, appears on a partnership page only when the
 * partnership is public (whoever looks), and a `</script>` typed by a user cannot end it early.
 */

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');
const breakout = '</script><script>alert(1)</script>';

function withServerDb<T>(run: (db: Db) => T): T {
	const db = openDatabase(dbPath);
	try {
		return run(db);
	} finally {
		db.$client.close();
	}
}

/** The JSON-LD blocks of a page, parsed; the raw HTML too. */
async function jsonLdOf(client: HttpClient, path: string) {
	const response = await client.get(path);
	expect(response.status, path).toBe(200);
	const html = await response.text();
	const blocks = [
		...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)
	].map((match) => JSON.parse(match[1]) as Record<string, unknown>);
	return { html, blocks };
}

let member: SignedIn;
const anonymous = new HttpClient(baseUrl);
let city: { slug: string; name: string };
let ngo: { slug: string; name: string };
let publicPartnership: string;
let privatePartnership: string;
const partnershipTitle = `Water pipes ${breakout} & leaks`;
const beneficiaryName = `Beneficiary ${breakout} ${Date.now()}`;

beforeAll(async () => {
	member = await signedIn(baseUrl, dbPath, 'jsonld');
	const owner = { id: member.userId, email: member.email, siteRole: 'member' as const };
	withServerDb((db) => {
		const cityName = `City of Jsonld ${breakout}`;
		const created = makeOrganisation(db, { kind: 'city', name: cityName, owner });
		city = { slug: created.slug, name: cityName };
		const ngoName = `Jsonld Partners ${Date.now()}`;
		const partner = makeOrganisation(db, { kind: 'ngo', name: ngoName });
		organisations.updateOrganisation(
			db,
			partner.owner.id,
			partner.organisationId,
			organisations.organisationInput.parse({
				name: ngoName,
				kind: 'ngo',
				country: 'FR',
				city: '',
				website: 'https://partners.example.org',
				description: 'Engineers who fix pipes.',
				languages: ['en', 'fr']
			})
		);
		ngo = { slug: partner.slug, name: ngoName };
		publicPartnership = partnershipAt(db, 'active', {
			public: true,
			city: { owner, name: beneficiaryName, need: { title: partnershipTitle } }
		}).partnershipId;
		privatePartnership = partnershipAt(db, 'agreed', { city: { owner } }).partnershipId;
	});
});

describe('organisation pages', () => {
	it('describe a city as a schema.org GovernmentOrganization', async () => {
		const { blocks } = await jsonLdOf(anonymous, `/organisations/${city.slug}`);
		expect(blocks).toHaveLength(1);
		expect(blocks[0]).toMatchObject({
			'@context': 'https://schema.org',
			'@type': 'GovernmentOrganization',
			name: city.name,
			url: `${baseUrl}/organisations/${city.slug}`,
			address: { '@type': 'PostalAddress', addressCountry: 'KE', addressLocality: 'Nairobi' }
		});
	});

	it('describe a partner as an Organization with its website', async () => {
		const { blocks } = await jsonLdOf(anonymous, `/organisations/${ngo.slug}`);
		expect(blocks).toHaveLength(1);
		expect(blocks[0]).toMatchObject({
			'@type': 'Organization',
			name: ngo.name,
			description: 'Engineers who fix pipes.',
			sameAs: ['https://partners.example.org'],
			knowsLanguage: ['en', 'fr'],
			address: { addressCountry: 'FR' }
		});
		expect(blocks[0].address).not.toHaveProperty('addressLocality');
	});

	it('cannot be broken out of by a </script> in the name', async () => {
		const { html, blocks } = await jsonLdOf(anonymous, `/organisations/${city.slug}`);
		expect(blocks[0].name).toBe(city.name);
		expect(html).not.toContain('<script>alert(1)</script>');
		const head = html.slice(0, html.indexOf('</head>'));
		expect(head.match(/<script type="application\/ld\+json">[^<]*<\/script>/g)).toHaveLength(1);
	});
});

describe('partnership pages', () => {
	it('describe a public partnership as a schema.org Project with its parties and roles', async () => {
		for (const client of [anonymous, member.client]) {
			const { blocks } = await jsonLdOf(client, `/partnerships/${publicPartnership}`);
			expect(blocks).toHaveLength(1);
			const project = blocks[0] as Record<string, unknown> & {
				member: { roleName: string; member: { name: string; url: string } }[];
				knowsAbout: { termCode: string }[];
			};
			expect(project).toMatchObject({
				'@context': 'https://schema.org',
				'@type': 'Project',
				name: partnershipTitle,
				url: `${baseUrl}/partnerships/${publicPartnership}`,
				disambiguatingDescription: 'Status: Active.'
			});
			expect(typeof project.foundingDate).toBe('string');
			expect(project.member.map((party) => party.roleName)).toEqual([
				'Beneficiary',
				'Lead partner'
			]);
			expect(project.member[0].member.name).toBe(beneficiaryName);
			expect(project.member[0].member.url).toMatch(`${baseUrl}/organisations/beneficiary-`);
			expect(project.knowsAbout.map((term) => term.termCode)).toEqual(['S', '11.5', '11.b']);
		}
	});

	it('carry no JSON-LD while the partnership is not public, even for its members', async () => {
		const { html, blocks } = await jsonLdOf(member.client, `/partnerships/${privatePartnership}`);
		expect(html).toContain('<h1');
		expect(blocks).toHaveLength(0);
	});

	it('keep a </script> in the title inside the JSON', async () => {
		const { html, blocks } = await jsonLdOf(anonymous, `/partnerships/${publicPartnership}`);
		expect(blocks[0].name).toBe(partnershipTitle);
		expect(html).not.toContain('<script>alert(1)</script>');
	});
});
