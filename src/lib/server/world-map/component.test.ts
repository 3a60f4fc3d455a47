import { gzipSync } from 'node:zlib';
import { render } from 'svelte/server';
import { afterEach, describe, expect, it } from 'vitest';
import WorldMap, { countClasses } from '$lib/components/insights/WorldMap.svelte';
import * as runtime from '$lib/paraglide/runtime';
import * as worldMap from '$lib/server/world-map';

const englishLocale = runtime.getLocale;
afterEach(() => runtime.overwriteGetLocale(englishLocale));

const hrefFor = (code: string) => `/cases?country=${code}`;

function renderMap(props: Partial<Parameters<typeof WorldMap>[1]> = {}) {
	return render(WorldMap, {
		props: {
			map: worldMap.shapes('en'),
			values: { KE: 12, NR: 1, FR: 0 },
			label: 'Case studies',
			kind: 'case_study',
			hrefFor,
			...props
		}
	}).body;
}

/** The SVG element a country is drawn in (its link or group), by the title it carries. */
function countryElement(body: string, title: string): string {
	const titleAt = body.indexOf(`<title>${title}</title>`);
	expect(titleAt, title).toBeGreaterThan(0);
	const start = Math.max(body.lastIndexOf('<a ', titleAt), body.lastIndexOf('<g ', titleAt));
	return body.slice(start, body.indexOf('</', body.indexOf('</title>', titleAt) + 8));
}

describe('WorldMap', () => {
	it('links each country with a count, titled with its name and the count', () => {
		const body = renderMap();
		expect(countryElement(body, 'Kenya: 12 case studies')).toContain('href="/cases?country=KE"');
		// A dot for Nauru, too small to see, with the same title and link.
		const nauru = countryElement(body, 'Nauru: 1 case study');
		expect(nauru).toContain('href="/cases?country=NR"');
		expect(body.slice(body.indexOf('Nauru: 1 case study'))).toMatch(/^[^]*?<circle cx="[\d.]+"/);
	});

	it('draws countries without a count grey and hidden from screen readers, without a title', () => {
		const body = renderMap();
		const hidden = body.slice(body.indexOf('<g class="no-data'), body.indexOf('</g>'));
		expect(hidden).toContain('aria-hidden="true"');
		expect(hidden).not.toContain('<title>');
		expect(body).not.toContain('France:');
		expect(body.match(/<title>/g)).toHaveLength(2);
	});

	it('draws a titled image, not a link, where hrefFor gives none', () => {
		const body = renderMap({ hrefFor: (code) => (code === 'KE' ? null : hrefFor(code)) });
		expect(countryElement(body, 'Kenya: 12 case studies')).toMatch(/^<g role="img"/);
		const noLinks = renderMap({ hrefFor: undefined });
		expect(noLinks).not.toContain('<a ');
	});

	it('names what is counted when no kind is given, and labels the figure', () => {
		const body = renderMap({ kind: undefined, label: 'Things', values: { KE: 3 } });
		expect(body).toContain('<title>Kenya: 3 (Things)</title>');
		expect(body).toMatch(/role="group" aria-labelledby="([^"]+)"[^]*id="\1">Things by country</);
	});

	it('titles in French with French plural rules and names', () => {
		runtime.overwriteGetLocale(() => 'fr');
		const body = render(WorldMap, {
			props: {
				map: worldMap.shapes('fr'),
				values: { KE: 1, DE: 2 },
				label: 'Besoins',
				kind: 'need',
				hrefFor
			}
		}).body;
		expect(body).toContain('<title>Kenya\u00a0: 1 besoin</title>');
		expect(body).toContain('<title>Allemagne\u00a0: 2 besoins</title>');
		expect(body).toContain('Besoins par pays');
	});

	it('states the class ranges in a legend list, not by colour only', () => {
		const body = renderMap({ values: { KE: 100, UG: 1, TZ: 30 } });
		const legend = body.slice(body.indexOf('<ul class="legend'), body.indexOf('</ul>'));
		const items = [...legend.matchAll(/<li[^>]*>([^]*?)<\/li>/g)].map(([, item]) =>
			item.replace(/<[^>]+>/g, '').trim()
		);
		expect(items).toEqual(['1–3', '4–6', '7–20', '21–40', '41–100', 'None']);
	});

	it('stays within 60 KiB gzipped with every country counted and linked', () => {
		const values = Object.fromEntries(
			worldMap.shapes('en').countries.map((country, i) => [country.code, (i * 37) % 500])
		);
		const body = renderMap({ values });
		const svg = body.slice(body.indexOf('<svg'), body.indexOf('</svg>') + 6);
		expect(gzipSync(svg).length).toBeLessThan(60 * 1024);
		expect(gzipSync(body).length).toBeLessThan(60 * 1024);
	});
});

describe('countClasses', () => {
	it('gives one class per count up to five', () => {
		expect(countClasses(0)).toEqual([]);
		expect(countClasses(3)).toEqual([
			{ from: 1, to: 1 },
			{ from: 2, to: 2 },
			{ from: 3, to: 3 }
		]);
	});

	it('spaces five classes on a log scale, rounded, contiguous and ending at the maximum', () => {
		for (const max of [6, 7, 12, 99, 100, 1234, 100_000]) {
			const classes = countClasses(max);
			expect(classes, String(max)).toHaveLength(5);
			expect(classes[0].from).toBe(1);
			expect(classes[4].to).toBe(max);
			for (let i = 0; i < 5; i++) {
				expect(classes[i].to, String(max)).toBeGreaterThanOrEqual(classes[i].from);
				if (i > 0) expect(classes[i].from).toBe(classes[i - 1].to + 1);
			}
		}
		expect(countClasses(1234).map((countClass) => countClass.to)).toEqual([4, 20, 70, 300, 1234]);
	});
});
