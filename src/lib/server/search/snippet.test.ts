import { describe, expect, it } from 'vitest';
import {
	escapeHtml,
	markEnd,
	markStart,
	markersToHtml,
	snippet,
	stripMarkers,
	termMatcher
} from './snippet';

describe('snippet', () => {
	it('marks matched words, accents and case as written in the text', () => {
		expect(snippet('Cable cars in Medellín changed commuting.', termMatcher(['medellin']))).toBe(
			'Cable cars in <mark>Medellín</mark> changed commuting.'
		);
	});

	it('escapes the text, so markup in a document stays text', () => {
		const html = snippet(
			'<img src=x onerror=alert(1)> & "water" <b>pipes</b>',
			termMatcher(['water'])
		);
		expect(html).toBe(
			'&lt;img src=x onerror=alert(1)&gt; &amp; &quot;<mark>water</mark>&quot; &lt;b&gt;pipes&lt;/b&gt;'
		);
	});

	it('cannot be tricked by marker characters in the text', () => {
		const html = snippet(`a ${markEnd}<b>${markStart} water`, termMatcher(['water']));
		expect(html).toBe('a &lt;b&gt; <mark>water</mark>');
	});

	it('matches prefixes', () => {
		expect(snippet('Mobility hubs', termMatcher([], ['mobil']))).toBe('<mark>Mobility</mark> hubs');
	});

	it('crops around the first match with ellipses', () => {
		const words = Array.from({ length: 100 }, (_, i) => `w${i}`);
		words[60] = 'lagoon';
		const html = snippet(words.join(' '), termMatcher(['lagoon']), 30);
		expect(html.startsWith('… ')).toBe(true);
		expect(html.endsWith(' …')).toBe(true);
		expect(html).toContain('<mark>lagoon</mark>');
		const shown = html
			.replace(/<\/?mark>/g, '')
			.replace(/…/g, '')
			.trim()
			.split(/\s+/);
		expect(shown).toHaveLength(30);
		expect(shown.indexOf('lagoon')).toBeGreaterThan(0);
	});

	it('shows the opening words when nothing matches', () => {
		const text = Array.from({ length: 50 }, (_, i) => `w${i}`).join(' ');
		expect(snippet(text, termMatcher(['none']), 10)).toBe('w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 …');
	});

	it('handles empty text and text without words', () => {
		expect(snippet('', termMatcher(['x']))).toBe('');
		expect(snippet('— & —', termMatcher(['x']))).toBe('— &amp; —');
	});
});

describe('markersToHtml', () => {
	it('turns markers into balanced <mark> tags and escapes the rest', () => {
		expect(markersToHtml(`${markStart}a&b${markEnd} c`)).toBe('<mark>a&amp;b</mark> c');
		expect(markersToHtml(`${markStart}open`)).toBe('<mark>open</mark>');
		expect(markersToHtml(`${markEnd}close${markStart}${markStart}x`)).toBe('close<mark>x</mark>');
	});

	it('escapeHtml and stripMarkers', () => {
		expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
		expect(stripMarkers(`a${markStart}b${markEnd}c`)).toBe('abc');
	});
});
