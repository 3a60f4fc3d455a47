import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, inject, it } from 'vitest';
import { HttpClient } from '../support/http-client';

const baseUrl = inject('baseUrl');

interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** A GET that keeps the bytes as sent (fetch would decode them), from its own client address. */
function rawGet(path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
	const client = new HttpClient(baseUrl);
	return new Promise((resolve, reject) => {
		const outgoing = request(
			new URL(path, baseUrl),
			{ headers: { 'x-forwarded-for': client.address, ...headers } },
			(incoming) => {
				const chunks: Buffer[] = [];
				incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
				incoming.on('end', () =>
					resolve({
						status: incoming.statusCode ?? 0,
						headers: incoming.headers,
						body: Buffer.concat(chunks)
					})
				);
				incoming.on('error', reject);
			}
		);
		outgoing.on('error', reject);
		outgoing.end();
	});
}

describe('compressed answers', () => {
	it('sends the OpenAPI document in brotli or gzip, byte for byte the same once decoded', async () => {
		const identity = await rawGet('/api/v1/openapi.json');
		expect(identity.status).toBe(200);
		expect(identity.headers['content-encoding']).toBeUndefined();
		expect(identity.headers.vary).toMatch(/Accept-Encoding/);

		const brotli = await rawGet('/api/v1/openapi.json', { 'accept-encoding': 'gzip, deflate, br' });
		expect(brotli.headers['content-encoding']).toBe('br');
		expect(brotli.headers['content-length']).toBeUndefined();
		expect(brotli.body.length).toBeLessThan(identity.body.length / 4);
		expect(brotliDecompressSync(brotli.body).equals(identity.body)).toBe(true);

		const gzip = await rawGet('/api/v1/openapi.json', { 'accept-encoding': 'gzip' });
		expect(gzip.headers['content-encoding']).toBe('gzip');
		expect(gunzipSync(gzip.body).equals(identity.body)).toBe(true);
	});

	it('compresses pages, feeds and CSV, keeping their type and security headers', async () => {
		for (const path of ['/sdg', '/feeds/case-studies.atom', '/api/v1/vocabularies?format=csv']) {
			const response = await rawGet(path, { 'accept-encoding': 'gzip' });
			expect(response.status, path).toBe(200);
			expect(response.headers['content-encoding'], path).toBe('gzip');
			expect(response.headers['x-content-type-options'], path).toBe('nosniff');
			expect(response.headers['x-request-id'], path).toBeTruthy();
			const text = gunzipSync(response.body).toString('utf8');
			if (path === '/sdg') expect(text).toMatch(/<h1>[^<]+<\/h1>[\s\S]*<\/html>/);
			else expect(text.length, path).toBeGreaterThan(100);
		}
	});

	it('sends identity when the client refuses or does not name a supported encoding', async () => {
		for (const acceptEncoding of ['identity', 'gzip;q=0, br;q=0', 'deflate']) {
			const response = await rawGet('/sdg', { 'accept-encoding': acceptEncoding });
			expect(response.status).toBe(200);
			expect(response.headers['content-encoding'], acceptEncoding).toBeUndefined();
			expect(response.body.toString('utf8')).toContain('</html>');
		}
	});

	it('leaves small answers and form answers (which may echo a secret) uncompressed', async () => {
		const health = await rawGet('/health', { 'accept-encoding': 'gzip, br' });
		expect(health.headers['content-encoding']).toBeUndefined();
		expect(JSON.parse(health.body.toString('utf8'))).toMatchObject({ status: 'ok' });

		const failedLogin = await new HttpClient(baseUrl).postForm(
			'/login?/login',
			{ email: 'not-an-address', password: '' },
			{ headers: { 'accept-encoding': 'gzip, br' } }
		);
		expect(failedLogin.status).toBe(400);
		expect(failedLogin.headers.get('content-encoding')).toBeNull();
	});
});
