import { mkdtempSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { tmpRoot } from '../../support/paths';

/** Debian's Chromium: `npx playwright install` cannot download on CI, `.ci/run` installs it. */
const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const chromiumArgs = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

let browsersOpened = 0;

const javaScriptOn = new WeakMap<Page, boolean>();

/**
 * Waits until SvelteKit has hydrated the page, so enhanced forms and live search are wired up.
 * SvelteKit's router sets `history.scrollRestoration` to "manual" once hydration is done; network
 * idleness is not enough on a busy machine. Without JavaScript there is nothing to wait for.
 */
export async function waitForApp(page: Page): Promise<void> {
	if (!javaScriptIsOn(page)) return;
	await page.waitForFunction(() => history.scrollRestoration === 'manual');
}

/** Whether the page was opened with JavaScript on (see openBrowser). */
export function javaScriptIsOn(page: Page): boolean {
	return javaScriptOn.get(page) === true;
}

export type TestBrowser = {
	context: BrowserContext;
	page: Page;
	baseUrl: string;
	javaScript: boolean;
	/** Uncaught errors thrown by the page's own scripts, for tests to assert on. */
	pageErrors: string[];
	/** Navigates to a site path and waits until the page is ready to use (hydrated with JS on). */
	visit: (path: string) => Promise<void>;
	close: () => Promise<void>;
};

/**
 * Opens Chromium with a fresh profile under tests/.tmp, JavaScript on or off. Each browser sends
 * its own X-Forwarded-For address (the test server trusts it), so per-IP rate limits of one
 * journey do not leak into another.
 */
export async function openBrowser(
	options: { javaScript?: boolean; locale?: string } = {}
): Promise<TestBrowser> {
	const javaScript = options.javaScript ?? true;
	const baseUrl = inject('baseUrl');
	browsersOpened += 1;
	const userDataDir = mkdtempSync(resolve(tmpRoot, 'chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: chromiumPath,
		headless: true,
		javaScriptEnabled: javaScript,
		args: chromiumArgs,
		baseURL: baseUrl,
		locale: options.locale ?? 'en-GB',
		viewport: { width: 1280, height: 900 },
		extraHTTPHeaders: {
			'x-forwarded-for': `10.250.${process.pid % 250}.${(browsersOpened % 250) + 1}`
		}
	});
	context.setDefaultTimeout(10_000);
	context.setDefaultNavigationTimeout(20_000);
	const page = context.pages()[0] ?? (await context.newPage());
	javaScriptOn.set(page, javaScript);
	const pageErrors: string[] = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));

	return {
		context,
		page,
		baseUrl,
		javaScript,
		pageErrors,
		async visit(path: string) {
			await page.goto(path);
			await waitForApp(page);
		},
		async close() {
			await context.close();
			rmSync(userDataDir, { recursive: true, force: true });
		}
	};
}
