import { describe, expect, it } from 'vitest';
import { el, renderXml, textEl, xmlDocument } from './xml';

describe('IATI XML writer', () => {
	it('escapes text and attribute values and drops characters XML cannot carry', () => {
		const element = textEl('narrative', '<b>"Tom" & \'Jerry\'</b>\u0000\u0007 ok', {
			code: 'a"b<c>&'
		});
		expect(renderXml(element)).toBe(
			'<narrative code="a&quot;b&lt;c&gt;&amp;">&lt;b&gt;&quot;Tom&quot; &amp; &apos;Jerry&apos;&lt;/b&gt; ok</narrative>'
		);
	});

	it('leaves out missing attributes and children, and closes empty elements', () => {
		const element = el('indicator', { measure: '1', ascending: undefined, year: null }, [
			null,
			false,
			el('period', {}, [el('period-start', { 'iso-date': '2026-01-01' })])
		]);
		expect(renderXml(element)).toBe(
			[
				'<indicator measure="1">',
				'  <period>',
				'    <period-start iso-date="2026-01-01"/>',
				'  </period>',
				'</indicator>'
			].join('\n')
		);
	});

	it('keeps line breaks inside text as they are', () => {
		const document = xmlDocument(el('title', {}, [textEl('narrative', 'one\n  two')]));
		expect(document).toBe(
			'<?xml version="1.0" encoding="utf-8"?>\n<title>\n  <narrative>one\n  two</narrative>\n</title>\n'
		);
	});
});
