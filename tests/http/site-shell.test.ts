import { describe, expect, inject, it } from 'vitest';
import { HttpClient } from '../support/http-client';

const baseUrl = inject('baseUrl');

describe('site shell over HTTP', () => {
	it('reports health as API.md describes it', async () => {
		const response = await new HttpClient(baseUrl).get('/health');
		expect(response.status).toBe(200);
		expect(response.headers.get('cache-control')).toBe('no-store');
		expect(await response.json()).toEqual({
			status: 'ok',
			db: 'ok',
			search: { engine: 'sqlite', status: 'ok' }
		});
	});

	it('serves English unprefixed and French under /fr, with lang and dir on <html>', async () => {
		const client = new HttpClient(baseUrl);
		const english = await (await client.get('/privacy')).text();
		expect(english).toContain('<html lang="en" dir="ltr">');
		expect(english).toContain('<h1>Privacy</h1>');
		const french = await (await client.get('/fr/privacy')).text();
		expect(french).toContain('<html lang="fr" dir="ltr">');
		expect(french).toContain('<h1>Confidentialité</h1>');
	});

	it('offers the visitor’s preferred language without redirecting', async () => {
		const response = await new HttpClient(baseUrl).get('/', {
			'accept-language': 'fr-FR,fr;q=0.9'
		});
		expect(response.status).toBe(200);
		const html = await response.text();
		expect(html).toContain('<html lang="en"');
		expect(html).toContain('Cette page existe aussi en français.');
	});

	it('answers an unknown page with a helpful 404 page', async () => {
		const response = await new HttpClient(baseUrl).get('/no-such-page', { accept: 'text/html' });
		expect(response.status).toBe(404);
		const html = await response.text();
		expect(html).toContain('Page not found');
		expect(html).toContain('href="/organisations"');
	});

	it('answers an unknown API path with a 404 problem document', async () => {
		const response = await new HttpClient(baseUrl).get('/api/v1/no-such-thing');
		expect(response.status).toBe(404);
		expect(response.headers.get('content-type')).toBe('application/problem+json');
		expect(await response.json()).toMatchObject({ status: 404, title: 'Not found' });
	});

	it('sends the security headers and a CSP on pages', async () => {
		const response = await new HttpClient(baseUrl).get('/');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('x-frame-options')).toBe('DENY');
		expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
		expect(response.headers.get('x-request-id')).toMatch(/^[a-z0-9]{24}$/);
	});

	it('refuses a post to the reserved action name with 404, not a server error', async () => {
		const response = await new HttpClient(baseUrl).postForm('/login?/default', { email: 'a' });
		expect(response.status).toBe(404);
	});
});
