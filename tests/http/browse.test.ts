import { describe, expect, inject, it } from 'vitest';
import { sdgIndicatorsByTarget, sdgTargetIds } from '../../src/lib/vocab/sdg';
import sdg11 from '../../src/lib/vocab/sdg11.json';
import { themeIds } from '../../src/lib/vocab/themes';
import enBrowse from '../../messages/browse/en.json';
import frBrowse from '../../messages/browse/fr.json';
import enCore from '../../messages/core/en.json';
import frCore from '../../messages/core/fr.json';
import { HttpClient } from '../support/http-client';

const baseUrl = inject('baseUrl');

const locales = [
	{ locale: 'en', prefix: '', browse: enBrowse, core: enCore },
	{ locale: 'fr', prefix: '/fr', browse: frBrowse, core: frCore }
] as const;

type Locale = (typeof locales)[number]['locale'];
const officialTexts = sdg11.languages as Record<
	Locale,
	{ global_targets: Record<string, string>; global_indicators: Record<string, string> }
>;

/** Text as Svelte writes it into HTML (it escapes &, < and > in text; the UN texts have none of < >). */
const escaped = (text: string) => text.normalize('NFC').replaceAll('&', '&amp;');
const key = (id: string) => id.replaceAll('.', '-');
const literal = (text: string) => escaped(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An element with exactly this text; Svelte adds scoped-style classes to the tag. */
const element = (tag: string, text: string) =>
	new RegExp(`<${tag}(?: [^>]*)?>${literal(text)}</${tag}>`);
/** A link to a path with exactly this text. */
const link = (href: string, text: string) =>
	new RegExp(`<a href="${literal(href)}"[^>]*>${literal(text)}</a>`);

async function page(path: string) {
	const response = await new HttpClient(baseUrl).get(path, { accept: 'text/html' });
	return { status: response.status, html: await response.text() };
}

describe('theme pages', () => {
	for (const { locale, prefix, browse, core } of locales) {
		it(`lists the six themes with links and descriptions (${locale})`, async () => {
			const { status, html } = await page(`${prefix}/themes`);
			expect(status).toBe(200);
			expect(html).toContain(`<html lang="${locale}"`);
			expect(html).toMatch(element('h1', browse.browse_themes_title));
			for (const id of themeIds) {
				expect(html).toContain(`href="${prefix}/themes/${id}"`);
				expect(html).toContain(escaped(browse[`browse_theme_about_${id}`]));
			}
		});

		for (const id of themeIds) {
			it(`explains theme ${id}, links its targets and lists its cases or says there are none (${locale})`, async () => {
				const { status, html } = await page(`${prefix}/themes/${id}`);
				expect(status).toBe(200);
				expect(html).toMatch(element('h1', core[`theme_${id}`]));
				expect(html).toContain(escaped(browse[`browse_theme_about_${id}`]));
				expect(html).toMatch(/<meta name="description" content="[^"]+"/);
				expect(html).toMatch(/<title>[^<]+<\/title>/);
				expect(html).toMatch(/href="[^"]*\/sdg\/11\.[1-7abc]"/);
				expect(html).toContain(escaped(browse.browse_case_studies));
				// Other test files publish cases, so the list may or may not be empty here.
				expect(html).toMatch(
					new RegExp(
						`${literal(browse.browse_cases_empty_theme)}|aria-label="${literal(browse.browse_case_list_label)}"`
					)
				);
			});
		}
	}

	it('answers 404 with the error page for an unknown or lower-case theme', async () => {
		for (const path of ['/themes/X', '/themes/s', '/fr/themes/Z', '/themes/toString']) {
			const { status, html } = await page(path);
			expect(status, path).toBe(404);
			expect(html).toMatch(/<h1[^>]*>[^<]+<\/h1>/);
			expect(html).toMatch(/href="(\/fr)?\/organisations"/);
		}
	});
});

describe('SDG 11 target pages', () => {
	for (const { locale, prefix, browse } of locales) {
		it(`lists the ten targets with their official texts (${locale})`, async () => {
			const { status, html } = await page(`${prefix}/sdg`);
			expect(status).toBe(200);
			expect(html).toMatch(element('h1', browse.browse_sdg_title));
			for (const id of sdgTargetIds) {
				expect(html).toContain(`href="${prefix}/sdg/${id}"`);
				expect(html).toContain(escaped(officialTexts[locale].global_targets[`${key(id)}-title`]));
			}
			expect(html).toContain('open-sdg/sdg-translations');
		});

		for (const id of sdgTargetIds) {
			it(`gives target ${id} its official text and indicators (${locale})`, async () => {
				const { status, html } = await page(`${prefix}/sdg/${id}`);
				expect(status).toBe(200);
				expect(html).toContain(`<html lang="${locale}"`);
				expect(html).toContain(escaped(officialTexts[locale].global_targets[`${key(id)}-title`]));
				expect(html).toContain(escaped(browse.browse_sdg_official_text));
				for (const indicator of sdgIndicatorsByTarget[id]) {
					expect(html).toContain(
						escaped(officialTexts[locale].global_indicators[`${key(indicator)}-title`])
					);
				}
				expect(html).toContain('open-sdg/sdg-translations');
				expect(html).toMatch(/href="[^"]*\/themes\/[SEJONG]"/);
				expect(html).toMatch(
					new RegExp(
						`${literal(browse.browse_cases_empty_target)}|aria-label="${literal(browse.browse_case_list_label)}"`
					)
				);
			});
		}
	}

	it('links each target to its neighbours, and none beyond the ends', async () => {
		const first = (await page('/sdg/11.1')).html;
		expect(first).toContain('href="/sdg/11.2" rel="next"');
		expect(first).not.toContain('rel="prev"');
		const middle = (await page('/fr/sdg/11.7')).html;
		expect(middle).toContain('href="/fr/sdg/11.6" rel="prev"');
		expect(middle).toContain('href="/fr/sdg/11.a" rel="next"');
		const last = (await page('/sdg/11.c')).html;
		expect(last).toContain('href="/sdg/11.b" rel="prev"');
		expect(last).not.toContain('rel="next"');
	});

	it('explains that 11.c has no global indicator any more, rather than showing a deleted one', async () => {
		const { status, html } = await page('/sdg/11.c');
		expect(status).toBe(200);
		expect(html).toContain(escaped(enBrowse.browse_sdg_no_indicator));
		expect(html).not.toContain(escaped(officialTexts.en.global_indicators['11-c-1-title']));
	});

	it('answers 404 for an unknown target', async () => {
		for (const path of ['/sdg/11.8', '/sdg/11.d', '/sdg/12.1', '/sdg/11', '/fr/sdg/11.z']) {
			expect((await page(path)).status, path).toBe(404);
		}
	});
});

describe('links into the browse pages', () => {
	it('the home page links every theme and every target', async () => {
		for (const { prefix } of locales) {
			const { html } = await page(prefix || '/');
			for (const id of themeIds) expect(html).toContain(`href="${prefix}/themes/${id}"`);
			for (const id of sdgTargetIds) expect(html).toContain(`href="${prefix}/sdg/${id}"`);
		}
	});

	it('the header navigation links the themes and SDG 11 indexes', async () => {
		const { html } = await page('/privacy');
		expect(html).toMatch(link('/themes', enCore.nav_themes));
		expect(html).toMatch(link('/sdg', enCore.nav_sdg));
		const french = (await page('/fr/privacy')).html;
		expect(french).toMatch(link('/fr/themes', frCore.nav_themes));
		expect(french).toMatch(link('/fr/sdg', frCore.nav_sdg));
	});
});
