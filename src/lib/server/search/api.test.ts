import { describe, expect, it } from 'vitest';
import { csvColumns, csvRow, hitToApi } from './api';
import { escapeHtml, markersToHtml, markEnd, markStart, snippetText } from './snippet';
import type { SearchHit } from './types';

const hit: SearchHit = {
	type: 'case_study',
	id: 'c1',
	title: 'Bus rapid transit',
	snippet: 'A <mark>bus</mark> line &amp; &lt;stops&gt;',
	path: '/cases/brt-lagos',
	meta: { country: 'NG', city: 'Lagos', organisation: 'LAMATA', extra: 'not shown' },
	sortDate: new Date('2021-03-04T05:06:07.000Z')
};

describe('search hits in the API', () => {
	it('carry an absolute URL, the place and organisation, and an ISO date', () => {
		expect(hitToApi(hit, 'https://citybridge.test')).toEqual({
			type: 'case_study',
			id: 'c1',
			title: 'Bus rapid transit',
			snippet: 'A <mark>bus</mark> line &amp; &lt;stops&gt;',
			url: 'https://citybridge.test/cases/brt-lagos',
			path: '/cases/brt-lagos',
			country: 'NG',
			city: 'Lagos',
			organisation: 'LAMATA',
			date: '2021-03-04T05:06:07.000Z'
		});
	});

	it('show missing place fields as null', () => {
		const organisation = { ...hit, type: 'organisation' as const, meta: {} };
		expect(hitToApi(organisation, 'https://x.test')).toMatchObject({
			country: null,
			city: null,
			organisation: null
		});
	});

	it('have one CSV column per JSON field, the snippet as plain text', () => {
		const row = csvRow(hitToApi(hit, 'https://x.test'));
		expect(Object.keys(row).sort()).toEqual([...csvColumns].sort());
		expect(row.snippet).toBe('A bus line & <stops>');
	});

	it('turn any snippet the engines make back into its text', () => {
		for (const text of ['<script>alert(1)</script>', `Tom & "Jerry" 'x' &amp;`, '&#39;&lt;']) {
			expect(snippetText(escapeHtml(text))).toBe(text);
			expect(snippetText(markersToHtml(`${markStart}${text}${markEnd}`))).toBe(text);
		}
	});
});
