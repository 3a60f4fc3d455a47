import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as apiTokens from '$lib/server/api-tokens';
import { openDatabase } from '$lib/server/db';
import { randomId } from '$lib/server/ids';
import * as organisations from '$lib/server/organisations';
import { HttpClient } from '../support/http-client';
import { startBuiltServer, type RunningServer } from '../support/server';

/**
 * Its own server with every limit at 1 % (RATE_LIMIT_SCALE=0.01): 6 anonymous API requests per
 * address and 60 per token in ten minutes, so the limits are reached in a few requests.
 */
let server: RunningServer;
let token = '';
const ANONYMOUS = 6;
const PER_TOKEN = 60;

beforeAll(async () => {
	server = await startBuiltServer({ RATE_LIMIT_SCALE: '0.01' });
	const db = openDatabase(server.dbPath);
	try {
		const userId = randomId();
		db.$client
			.prepare(
				"INSERT INTO user (id, email, name, password_hash) VALUES (?, ?, 'Limit Owner', 'x')"
			)
			.run(userId, `limit-${userId}@example.org`);
		const { id } = organisations.createOrganisation(db, userId, {
			name: 'Rate Limit Partner',
			kind: 'ngo',
			country: 'FR',
			city: null,
			website: null,
			description: '',
			languages: []
		});
		token = apiTokens.issue(db, { id: userId, siteRole: 'member' }, id, {
			name: 'Limits',
			expiresOn: null
		}).token;
	} finally {
		db.$client.close();
	}
}, 60_000);

afterAll(async () => {
	await server?.stop();
});

const json = { accept: 'application/json' };

describe('the anonymous API rate limit', () => {
	it('counts down in RateLimit headers, then answers 429 with Retry-After and a problem', async () => {
		const client = new HttpClient(server.url);
		for (let i = 1; i <= ANONYMOUS; i += 1) {
			const response = await client.get('/api/v1/vocabularies', json);
			expect(response.status).toBe(200);
			expect(response.headers.get('ratelimit-limit')).toBe(String(ANONYMOUS));
			expect(response.headers.get('ratelimit-remaining')).toBe(String(ANONYMOUS - i));
			expect(Number(response.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
			await response.arrayBuffer();
		}
		const limited = await client.get('/api/v1/vocabularies', json);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('content-type')).toContain('application/problem+json');
		const retryAfter = Number(limited.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThan(0);
		expect(retryAfter).toBeLessThanOrEqual(600);
		expect(await limited.json()).toMatchObject({ status: 429, title: 'Too many requests' });

		// Feeds share the allowance; pages are never limited.
		expect((await client.get('/feeds/case-studies.atom')).status).toBe(429);
		expect((await client.get('/fr/api/v1/vocabularies', json)).status).toBe(429);
		for (const page of ['/', '/organisations', '/needs']) {
			expect((await client.get(page)).status, page).toBe(200);
		}
	});

	it('does not limit another address', async () => {
		const other = new HttpClient(server.url);
		const response = await other.get('/feeds/case-studies.atom');
		expect(response.status).toBe(200);
		expect(response.headers.get('ratelimit-remaining')).toBe(String(ANONYMOUS - 1));
	});

	it('does not apply to a request with a valid token, which has its own higher limit', async () => {
		const client = new HttpClient(server.url);
		for (let i = 0; i < ANONYMOUS + 1; i += 1) await client.get('/api/v1/vocabularies', json);
		expect((await client.get('/api/v1/vocabularies', json)).status).toBe(429);
		const withToken = { ...json, authorization: `Bearer ${token}` };
		for (let i = 1; i <= PER_TOKEN; i += 1) {
			const response = await client.get('/api/v1/vocabularies', withToken);
			expect(response.status).toBe(200);
			expect(response.headers.get('ratelimit-limit')).toBe(String(PER_TOKEN));
			await response.arrayBuffer();
		}
		const limited = await client.get('/api/v1/vocabularies', withToken);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('counts requests with a bad token against the address, so tokens cannot be guessed freely', async () => {
		const client = new HttpClient(server.url);
		const bad = { ...json, authorization: `Bearer cbt_${'a'.repeat(32)}` };
		for (let i = 0; i < ANONYMOUS; i += 1) {
			expect((await client.get('/api/v1/vocabularies', bad)).status).toBe(401);
		}
		expect((await client.get('/api/v1/vocabularies', bad)).status).toBe(429);
	});
});
