import type { Locator, Page } from 'playwright-core';
import { javaScriptIsOn, waitForApp } from './browser';
import { text } from './messages';

function escapeRegExp(value: string): string {
	return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The form control whose label starts with the text of a message key. Some labels carry a hint
 * inside them ("Website – optional…"), so the match is on the start, not the whole name.
 */
export function field(page: Page | Locator, labelKey: string): Locator {
	const label = text(labelKey);
	return page.getByLabel(new RegExp(`^\\s*${escapeRegExp(label)}(\\s|$)`)).first();
}

/** Fills fields by their labels' message keys: `{ auth_field_email: 'a@b.org' }`. */
export async function fillForm(page: Page | Locator, values: Record<string, string>) {
	for (const [labelKey, value] of Object.entries(values)) {
		await field(page, labelKey).fill(value);
	}
}

/** The button whose visible text is a message key's text. */
export function button(page: Page | Locator, textKey: string): Locator {
	return page.getByRole('button', { name: text(textKey), exact: true });
}

/** The link whose visible text is a message key's text. */
export function link(page: Page | Locator, textKey: string, params: Record<string, string> = {}) {
	return page.getByRole('link', { name: text(textKey, params), exact: true });
}

/** The page's one h1, as text. */
export async function heading(page: Page): Promise<string> {
	return ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
}

/**
 * Clicks something that submits or navigates and waits until the URL matches: a full page load
 * without JavaScript, a client-side navigation with it.
 */
export async function clickAndWaitForUrl(
	page: Page,
	target: Locator,
	url: (url: URL) => boolean
): Promise<void> {
	try {
		await Promise.all([page.waitForURL(url, { waitUntil: 'load' }), target.click()]);
		await waitForApp(page);
	} catch (error) {
		throw new Error(`${(error as Error).message}\n${await describePage(page)}`, { cause: error });
	}
}

/**
 * Clicks a submit button and waits for the outcome: the page load without JavaScript, then
 * `settled` (with JavaScript, the enhanced form's answer). A failure says where the browser is.
 */
export async function submitAndWait(
	page: Page,
	target: Locator,
	settled: () => Promise<unknown>
): Promise<void> {
	if (javaScriptIsOn(page)) await target.click();
	else await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
	try {
		await settled();
	} catch (error) {
		throw new Error(`${(error as Error).message}\n${await describePage(page)}`, { cause: error });
	}
}

/** Where the browser is and what the page says, to make a failed step easy to understand. */
export async function describePage(page: Page): Promise<string> {
	const alerts = await page
		.getByRole('alert')
		.allTextContents()
		.catch(() => []);
	const title = await page
		.getByRole('heading', { level: 1 })
		.first()
		.textContent({ timeout: 1000 })
		.catch(() => null);
	return [
		`  page: ${page.url()}`,
		`  h1: ${title?.trim() ?? '(none)'}`,
		...alerts.map((alert) => `  alert: ${alert.replace(/\s+/g, ' ').trim()}`)
	].join('\n');
}
