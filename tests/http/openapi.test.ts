import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as apiTokens from '$lib/server/api-tokens';
import { openDatabase } from '$lib/server/db';
import * as organisations from '$lib/server/organisations';
import { newOrganisation, signedIn } from '../support/case-fixtures';
import { HttpClient } from '../support/http-client';
import { needValues, offerValues } from '../support/listing-fixtures';
import { startBuiltServer, type RunningServer } from '../support/server';
import { parseCsv } from '../support/csv';

/**
 * The OpenAPI document against the running API on the demo data: every documented GET path is
 * requested and its answer checked against the document (status, content type, JSON schema), with
 * one documented error per endpoint, and every list's CSV holds the JSON's rows. Strict: a path
 * that is documented but answers differently fails here.
 */

type Schema = Record<string, unknown>;
type Parameter = { name: string; in: 'query' | 'path'; schema: Schema };
type Response = { description: string; content?: Record<string, { schema?: Schema }> };
type Operation = {
	operationId: string;
	parameters?: Parameter[];
	responses: Record<string, Response>;
};
type Document = {
	openapi: string;
	paths: Record<string, Record<string, Operation>>;
	components: { schemas: Record<string, Schema> };
};

let server: RunningServer;
let document: Document;
let ajv: Ajv2020;
let requests = 0;

/** A fresh client address every 40 requests, so the anonymous rate limit never bites the walk. */
function get(path: string, accept = 'application/json'): Promise<globalThis.Response> {
	requests += 1;
	const batch = Math.floor(requests / 40);
	return fetch(new URL(path, server.url), {
		headers: {
			accept,
			'x-forwarded-for': `10.77.${(batch >> 8) & 255}.${batch & 255}`
		},
		redirect: 'manual'
	});
}

/** The document's `#/components/...` references, pointed at the schema registered below. */
function rooted(schema: Schema): Schema {
	return JSON.parse(
		JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')
	) as Schema;
}

function validate(schema: Schema, body: unknown, where: string) {
	const check = ajv.compile(rooted(schema));
	const valid = check(body);
	expect(
		valid ? [] : (check.errors ?? []).slice(0, 5).map((e) => `${e.instancePath} ${e.message}`),
		where
	).toEqual([]);
}

function mediaType(response: globalThis.Response): string {
	return (response.headers.get('content-type') ?? '').split(';')[0].trim();
}

/** Every GET operation with its path. */
function getOperations(): { path: string; operation: Operation }[] {
	return Object.entries(document.paths).flatMap(([path, item]) =>
		item.get ? [{ path, operation: item.get }] : []
	);
}

/** The list a path parameter's values come from: the path up to the parameter. */
const listPathOf = (path: string) => path.slice(0, path.indexOf('/{'));

const idCache = new Map<string, string>();

/** Real values for a path's parameters: an enum's values, else the first row of its list. */
async function concretePaths(path: string, operation: Operation): Promise<string[]> {
	let paths = [path];
	for (const parameter of (operation.parameters ?? []).filter((p) => p.in === 'path')) {
		const token = `{${parameter.name}}`;
		let values = parameter.schema.enum as string[] | undefined;
		if (!values) {
			const list = listPathOf(path);
			if (!idCache.has(list)) {
				const response = await get(`${list}?limit=1`);
				expect(response.status, `${list} gives the ids for ${path}`).toBe(200);
				const body = (await response.json()) as { data: Record<string, string>[] };
				expect(body.data.length, `${list} has demo rows`).toBeGreaterThan(0);
				idCache.set(list, body.data[0][parameter.name]);
			}
			values = [idCache.get(list)!];
		}
		paths = paths.flatMap((p) =>
			values.map((value) => p.replace(token, encodeURIComponent(value)))
		);
	}
	return paths;
}

function jsonSchemaOf(operation: Operation, status: string): Schema | undefined {
	const content = operation.responses[status]?.content ?? {};
	return (content['application/json'] ?? content['application/problem+json'])?.schema;
}

async function expectProblem(operation: Operation, path: string, status: number) {
	const response = await get(path);
	expect(response.status, `${path} answers ${status}`).toBe(status);
	expect(mediaType(response), path).toBe('application/problem+json');
	const schema = jsonSchemaOf(operation, String(status));
	expect(schema, `${operation.operationId} documents ${status}`).toBeDefined();
	validate(schema!, await response.json(), path);
}

beforeAll(async () => {
	server = await startBuiltServer({ DEMO_CONTENT: 'true' });
	const response = await get('/api/v1/openapi.json');
	expect(response.status).toBe(200);
	document = (await response.json()) as Document;
	ajv = new Ajv2020({ strict: false, allErrors: true });
	addFormats(ajv);
	ajv.addSchema({ $id: 'openapi.json', components: document.components });
});

afterAll(async () => {
	await server?.stop();
});

describe('GET /api/v1/openapi.json', () => {
	it('validates as OpenAPI 3.1 and names the server it came from', async () => {
		const result = await new Validator().validate(
			structuredClone(document) as Record<string, unknown>
		);
		expect(result.errors ?? []).toEqual([]);
		expect(result.valid).toBe(true);
		expect(document.openapi).toMatch(/^3\.1\./);
		expect((document as unknown as { servers: { url: string }[] }).servers[0].url).toBe(server.url);
	});

	it('may be cached and fetched from any site', async () => {
		const response = await get('/api/v1/openapi.json');
		expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
	});
});

describe('every documented GET path on the demo data', () => {
	it('answers 200 with a documented content type and the documented JSON shape', async () => {
		const failures: string[] = [];
		for (const { path, operation } of getOperations()) {
			const ok = operation.responses['200'];
			expect(ok, `${path} documents 200`).toBeDefined();
			const types = Object.keys(ok.content ?? {});
			const accept = types.includes('application/json') ? 'application/json' : types[0];
			for (const concrete of await concretePaths(path, operation)) {
				const response = await get(concrete, accept);
				if (response.status !== 200 || !types.includes(mediaType(response))) {
					failures.push(`${concrete}: ${response.status} ${mediaType(response)}`);
					await response.body?.cancel();
					continue;
				}
				if (mediaType(response) === 'application/json') {
					validate(jsonSchemaOf(operation, '200')!, await response.json(), concrete);
				} else {
					expect((await response.text()).length, concrete).toBeGreaterThan(0);
				}
			}
		}
		expect(failures).toEqual([]);
	});

	it('answers every documented value of an enumerated single parameter (stats views, sorts)', async () => {
		for (const { path, operation } of getOperations()) {
			if (path.includes('{')) continue;
			for (const parameter of operation.parameters ?? []) {
				const values = parameter.schema.enum as string[] | undefined;
				if (parameter.in !== 'query' || !values || parameter.name === 'format') continue;
				for (const value of values) {
					const concrete = `${path}?${parameter.name}=${encodeURIComponent(value)}`;
					const schema = jsonSchemaOf(operation, '200');
					const types = Object.keys(operation.responses['200'].content ?? {});
					const response = await get(concrete, schema ? 'application/json' : types[0]);
					expect(response.status, concrete).toBe(200);
					expect(types, concrete).toContain(mediaType(response));
					if (schema) validate(schema, await response.json(), concrete);
					else await response.body?.cancel();
				}
			}
		}
	});

	it('answers a documented 400 problem for an unknown parameter and for a bad filter value', async () => {
		for (const { path, operation } of getOperations()) {
			if (!operation.responses['400']) continue;
			const [concrete] = await concretePaths(path, operation);
			await expectProblem(operation, `${concrete}?surelyNotAParameter=1`, 400);
			const enumerated = (operation.parameters ?? []).find((parameter) => {
				const schema = (parameter.schema.items ?? parameter.schema) as Schema;
				return parameter.in === 'query' && Array.isArray(schema.enum);
			});
			if (enumerated) {
				await expectProblem(operation, `${concrete}?${enumerated.name}=not-a-known-value`, 400);
			}
		}
	});

	it('answers a documented 404 problem for a record that does not exist', async () => {
		for (const { path, operation } of getOperations()) {
			if (!operation.responses['404']) continue;
			expect(path, `${operation.operationId} takes a path parameter`).toContain('{');
			const missing = path.replace(/\{\w+\}/g, 'no-such-record-anywhere');
			await expectProblem(operation, missing, 404);
		}
	});

	it('documents an error answer for every endpoint that can refuse a request', () => {
		const silent = getOperations()
			.filter(({ operation }) => (operation.parameters ?? []).length > 0)
			.filter(({ operation }) => !operation.responses['400'] && !operation.responses['404'])
			.map(({ path }) => path);
		expect(silent).toEqual([]);
	});
});

describe('CSV', () => {
	it('holds the same rows as the JSON of the same query, on every list', async () => {
		const lists = getOperations().filter(
			({ operation }) =>
				operation.responses['200'].content?.['text/csv'] &&
				String(jsonSchemaOf(operation, '200')?.$ref ?? '').endsWith('List')
		);
		expect(lists.length).toBeGreaterThanOrEqual(9);
		for (const { path, operation } of lists) {
			const [concrete] = await concretePaths(path, operation);
			// Cities answer a prefix search (at most 20); every other list a page of 50.
			const paged = (operation.parameters ?? []).some((p) => p.name === 'cursor');
			const query = path.endsWith('/cities') ? 'q=a&limit=20' : paged ? 'limit=50' : '';
			const separator = query ? '?' : '';
			const json = await get(`${concrete}${separator}${query}`);
			expect(json.status, concrete).toBe(200);
			const body = (await json.json()) as { data: Record<string, unknown>[]; total: number };
			const csv = await get(`${concrete}?${query}${query ? '&' : ''}format=csv`, '*/*');
			expect(csv.status, concrete).toBe(200);
			expect(mediaType(csv), concrete).toBe('text/csv');
			const [header, ...rows] = parseCsv(await csv.text());
			expect(rows.length, `${concrete}: CSV rows`).toBe(body.data.length);
			const key = ['id', 'slug', 'code', 'kind'].find(
				(name) => header.includes(name) && body.data.every((row) => name in row)
			);
			expect(key, `${concrete}: a shared id column`).toBeDefined();
			const column = header.indexOf(key!);
			expect(
				rows.map((row) => row[column]),
				concrete
			).toEqual(body.data.map((row) => String(row[key!])));
			const negotiated = await get(`${concrete}${separator}${query}`, 'text/csv');
			expect(mediaType(negotiated), `${concrete} with Accept: text/csv`).toBe('text/csv');
			await negotiated.body?.cancel();
		}
	});
});

describe('the write bodies', () => {
	const requiredOf = (name: string) =>
		(document.components.schemas[name].required ?? []) as string[];
	const propertiesOf = (name: string) =>
		Object.keys(document.components.schemas[name].properties as Schema);

	it('require the fields the form requires, and not the optional ones', () => {
		const listings = [
			{
				name: 'Need',
				required: ['title', 'challenge', 'themes', 'sdgTargets', 'cooperationTypes', 'timeframe'],
				optional: ['budgetAmount', 'budgetCurrency', 'triedSoFar', 'expiresOn', 'visibility']
			},
			{
				name: 'Offer',
				required: ['title', 'description', 'format', 'themes', 'sdgTargets', 'cooperationTypes'],
				optional: ['capacity', 'deadline', 'isGlobal', 'onlyLeastDeveloped', 'regions']
			}
		];
		for (const { name, required, optional } of listings) {
			for (const body of [`${name}Create`, `${name}Update`]) {
				expect(requiredOf(body), body).toEqual(expect.arrayContaining(required));
				for (const field of optional) {
					expect(propertiesOf(body), body).toContain(field);
					expect(requiredOf(body), `${body} requires ${field}`).not.toContain(field);
				}
			}
			expect(requiredOf(`${name}Create`)).toContain('organisationId');
			expect(propertiesOf(`${name}Update`)).not.toContain('organisationId');
		}
	});

	/** A city and a partner, each with an API token, written into the server's database. */
	async function posters() {
		const owner = await signedIn(server.url, server.dbPath, 'openapi-writer');
		const city = await newOrganisation(owner, server.dbPath);
		const db = openDatabase(server.dbPath);
		try {
			const partnerId = organisations.createOrganisation(db, owner.userId, {
				name: `OpenAPI Partner ${Date.now()}`,
				kind: 'ngo',
				country: 'FR',
				city: null,
				website: null,
				description: '',
				languages: []
			}).id;
			const actor = { id: owner.userId, siteRole: 'member' as const };
			const tokenOf = (organisationId: string) =>
				apiTokens.issue(db, actor, organisationId, { name: 'OpenAPI', expiresOn: null }).token;
			return {
				city: { organisationId: city.id, token: tokenOf(city.id) },
				partner: { organisationId: partnerId, token: tokenOf(partnerId) }
			};
		} finally {
			db.$client.close();
		}
	}

	it('accept a body of only the required fields and refuse one without any of them, naming it', async () => {
		const { city, partner } = await posters();
		const writes = [
			{
				path: '/api/v1/needs',
				schema: 'NeedCreate',
				token: city.token,
				values: needValues({ organisationId: city.organisationId })
			},
			// Where an offer serves (everywhere, or some regions or countries) is a rule across
			// fields that `required` cannot state; `isGlobal` answers it here.
			{
				path: '/api/v1/offers',
				schema: 'OfferCreate',
				token: partner.token,
				values: offerValues({ organisationId: partner.organisationId }),
				rule: { isGlobal: true }
			}
		];
		const client = new HttpClient(server.url);
		for (const { path, schema, token, values, rule } of writes) {
			const post = (body: Record<string, unknown>) =>
				client.request(path, {
					method: 'POST',
					headers: {
						accept: 'application/json',
						'content-type': 'application/json',
						authorization: `Bearer ${token}`
					},
					body: JSON.stringify({ ...body, ...rule })
				});
			const required = requiredOf(schema);
			const minimal = Object.fromEntries(required.map((field) => [field, values[field]]));
			const accepted = await post(minimal);
			expect(accepted.status, `${path} with ${required.join(', ')}`).toBe(201);
			await accepted.body?.cancel();
			// A token's organisation is the default `organisationId`; a session must name it.
			for (const field of required.filter((name) => name !== 'organisationId')) {
				const { [field]: _omitted, ...rest } = minimal;
				const refused = await post(rest);
				expect(refused.status, `${path} without ${field}`).toBe(400);
				const problem = (await refused.json()) as { errors?: { field: string }[] };
				expect(
					(problem.errors ?? []).map((error) => error.field),
					`${path} without ${field}`
				).toContain(field);
			}
		}
	});
});
