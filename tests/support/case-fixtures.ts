import { expect } from 'vitest';
import { openDatabase } from '$lib/server/db';
import * as caseStudies from '$lib/server/case-studies';
import { HttpClient, queryServerDb, uniqueEmail } from './http-client';
import { testAdmin } from './server';

/**
 * Fixtures for HTTP tests about case studies. People and organisations are made through the
 * site's own forms; case studies are written into the running server's database through the
 * domain functions (the same code the editor calls), so a test about the case page does not
 * depend on the editor.
 */

export const fixturePassword = 'a long enough passphrase';
export const nairobiCityId = '184745';

export type SignedIn = { client: HttpClient; email: string; userId: string };

export async function signedIn(
	baseUrl: string,
	dbPath: string,
	label: string,
	email = uniqueEmail(label)
): Promise<SignedIn> {
	const client = new HttpClient(baseUrl);
	const password = email === testAdmin.email ? testAdmin.password : fixturePassword;
	if (email !== testAdmin.email) {
		const registered = await client.postForm('/register?/register', {
			name: `Test ${label}`,
			email,
			password
		});
		expect(registered.status).toBe(303);
	}
	const login = await client.postForm('/login?/login', { email, password });
	expect(login.status).toBe(303);
	const [user] = queryServerDb<{ id: string }>(
		dbPath,
		'SELECT id FROM user WHERE email = ?',
		email
	);
	return { client, email, userId: user.id };
}

export const signedInAdmin = (baseUrl: string, dbPath: string) =>
	signedIn(baseUrl, dbPath, 'admin', testAdmin.email);

let organisationCounter = 0;

/** Creates a city organisation (Nairobi) through the form; the signed-in user becomes its owner. */
export async function newOrganisation(
	owner: SignedIn,
	dbPath: string,
	options: { verified?: boolean; name?: string } = {}
): Promise<{ id: string; slug: string; name: string }> {
	organisationCounter += 1;
	const name = options.name ?? `Case Test City ${organisationCounter} ${Date.now()}`;
	const response = await owner.client.postForm('/organisations/new?/create', {
		name,
		kind: 'city',
		country: 'KE',
		city: nairobiCityId,
		website: 'https://nairobi.go.ke',
		description: 'A city office in the case-study tests.',
		languages: ['en']
	});
	expect(response.status).toBe(303);
	const slug = response.headers.get('location')!.split('/').pop()!;
	const [row] = queryServerDb<{ id: string }>(
		dbPath,
		'SELECT id FROM organisation WHERE slug = ?',
		slug
	);
	if (options.verified) {
		// The verification flow has its own tests; here the badge is only a precondition.
		const db = openDatabase(dbPath);
		try {
			db.$client
				.prepare("UPDATE organisation SET verification_state = 'verified' WHERE id = ?")
				.run(row.id);
		} finally {
			db.$client.close();
		}
	}
	return { id: row.id, slug, name };
}

/**
 * The editor's form fields for a valid case study (the editor contract: field names follow the
 * input schema's paths, rows as `results.0.indicator`, checkbox groups repeated).
 */
export function caseFormFields(
	overrides: Record<string, string | string[]> = {}
): Record<string, string | string[]> {
	return {
		title: `Solar street lights for night markets ${Date.now()}`,
		summary: 'The city replaced diesel lamps at three night markets with solar street lights.',
		context: 'Night markets were **dark** and unsafe.',
		objectives: 'Light every market lane.',
		whatWasDone: '- Installed 120 solar lights\n- Trained market committees',
		lessons: 'Involve traders from the start.',
		transferability: 'Needs a maintenance budget.',
		startYear: '2021',
		endYear: '',
		status: 'implemented',
		language: 'en',
		licence: 'CC-BY-4.0',
		themes: ['E'],
		sdgTargets: ['11.6'],
		domains: ['energy'],
		'results.0.indicator': 'Lit market lanes',
		'results.0.baseline': '0',
		'results.0.result': '42',
		'results.0.unit': 'lanes',
		'results.0.year': '2023',
		'sources.0.title': 'City press release',
		'sources.0.url': 'https://nairobi.go.ke/solar-markets',
		...overrides
	};
}

/** A valid input for the domain functions, the same content as `caseFormFields`. */
export function caseInput(overrides: Partial<caseStudies.CaseStudyInput> = {}) {
	return caseStudies.caseStudyInput.parse({
		title: `Solar street lights for night markets ${Date.now()}`,
		summary: 'The city replaced diesel lamps at three night markets with solar street lights.',
		context: 'Night markets were **dark** and unsafe.',
		whatWasDone: '- Installed 120 solar lights\n- Trained market committees',
		startYear: 2021,
		status: 'implemented',
		themes: ['E'],
		sdgTargets: ['11.6'],
		domains: ['energy'],
		results: [{ indicator: 'Lit market lanes', baseline: '0', result: '42', unit: 'lanes' }],
		sources: [{ title: 'City press release', url: 'https://nairobi.go.ke/solar-markets' }],
		...overrides
	});
}

/**
 * Writes a case study into the running server's database as the given member, in the given
 * state. `published` needs a verified organisation (or goes through the admin as moderator).
 */
export function seedCase(
	dbPath: string,
	options: {
		organisationId: string;
		authorId: string;
		state?: 'draft' | 'submitted' | 'published';
		input?: Partial<caseStudies.CaseStudyInput>;
	}
): { id: string; slug: string } {
	const db = openDatabase(dbPath);
	try {
		const author = { id: options.authorId, siteRole: 'member' as const };
		const created = caseStudies.createDraft(db, author, {
			organisationId: options.organisationId,
			input: caseInput(options.input)
		});
		if (options.state === 'submitted') caseStudies.submit(db, author, created.id);
		if (options.state === 'published') {
			const [admin] = queryServerDb<{ id: string }>(
				dbPath,
				'SELECT id FROM user WHERE email = ?',
				testAdmin.email
			);
			caseStudies.publish(db, { id: admin.id, siteRole: 'admin' }, created.id);
		}
		return created;
	} finally {
		db.$client.close();
	}
}
