import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import type { Result } from 'axe-core';

/** WCAG 2.0 and 2.1, levels A and AA: what issue 2 promises. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function describeViolation(violation: Result): string {
	const nodes = violation.nodes
		.slice(0, 5)
		.map((node) => {
			const summary = (node.failureSummary ?? '').replace(/\n/g, '\n        ');
			return `    - ${node.target.join(' ')}\n      ${node.html}\n        ${summary}`;
		})
		.join('\n');
	const more = violation.nodes.length > 5 ? `\n    … and ${violation.nodes.length - 5} more` : '';
	return `  [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes}${more}`;
}

/** Runs axe on the page as it is now and fails, listing every violation readably, unless clean. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
	const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
	if (results.violations.length === 0) return;
	const report = results.violations.map(describeViolation).join('\n\n');
	throw new Error(
		`axe found ${results.violations.length} WCAG 2.1 A/AA violation(s) on ${page.url()}:\n\n${report}`
	);
}
