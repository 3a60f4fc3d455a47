import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { atomXml, tagUri, xmlText } from './atom';

/** Whether the text holds a character XML 1.0 forbids even escaped (C0 controls but tab, LF, CR; U+FFFE, U+FFFF). */
const hasInvalidXmlCharacter = (text: string) =>
	[...text].some((character) => {
		const code = character.codePointAt(0)!;
		return (
			(code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
			code === 0xfffe ||
			code === 0xffff
		);
	});

const naughty = 'Tom & Jerry <script>alert(1)</script> "quoted" \'single\' ]]> end';

describe('xmlText', () => {
	it('escapes markup characters', () => {
		expect(xmlText('a & b < c > d " e \' f')).toBe('a &amp; b &lt; c &gt; d &quot; e &apos; f');
		expect(xmlText(']]>')).toBe(']]&gt;');
	});

	it('drops characters XML 1.0 does not allow and keeps the ones it does', () => {
		expect(xmlText('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFFg')).toBe('abcdefg');
		expect(xmlText('\ud800lone')).toBe('lone');
		expect(xmlText('tab\tline\nreturn\r😀é')).toBe('tab\tline\nreturn\r😀é');
	});
});

describe('atomXml', () => {
	const updated = new Date('2026-11-01T10:00:00Z');
	const xml = atomXml({
		id: 'https://example.org/feeds/x.atom?theme=S&sdg=11.2',
		title: naughty,
		updated,
		links: [{ rel: 'self', type: 'application/atom+xml', href: 'https://example.org/f?a=1&b=2' }],
		entries: [
			{
				id: tagUri('http://localhost:3000', 2026, 'case-study:abc'),
				title: naughty,
				updated,
				published: updated,
				authors: ['City & <Co>'],
				summary: `${naughty}\u0001`,
				link: 'https://example.org/cases/a',
				categories: [{ term: 'S', scheme: 'https://example.org/themes', label: 'Safe & "sound"' }]
			}
		]
	});

	it('is well-formed and reads back as the original text', () => {
		expect(XMLValidator.validate(xml)).toBe(true);
		const parsed = new XMLParser({
			ignoreAttributes: false,
			processEntities: true,
			htmlEntities: false
		}).parse(xml);
		expect(parsed.feed.title['#text']).toBe(naughty);
		expect(parsed.feed.link['@_href']).toBe('https://example.org/f?a=1&b=2');
		expect(parsed.feed.entry.summary['#text']).toBe(naughty);
		expect(parsed.feed.entry.author.name).toBe('City & <Co>');
		expect(parsed.feed.entry.category['@_label']).toBe('Safe & "sound"');
		expect(parsed.feed.entry.id).toBe('tag:localhost,2026:case-study:abc');
	});

	it('declares the Atom namespace and never carries a raw control character', () => {
		expect(xml).toMatch(
			/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/
		);
		expect(hasInvalidXmlCharacter(xml)).toBe(false);
	});
});
