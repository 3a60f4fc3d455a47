import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { login, newUser } from './support/accounts';
import { expectNoAxeViolations } from './support/axe';
import { openBrowser, type TestBrowser } from './support/browser';
import { button, clickAndWaitForUrl, field, heading, submitAndWait } from './support/forms';
import { text } from './support/messages';
import { seedCaseStudy } from './support/seed-case';

/**
 * A member adds a cover image and a figure to a case study in Chromium, with JavaScript on and
 * off: a mistake first (no alt text), nothing typed is lost; the case page shows the images with
 * their alt text and captions; axe finds nothing on the images page, its error state included.
 */
function imagesJourney({ javaScript }: { javaScript: boolean }) {
	describe(`case images ${javaScript ? 'with' : 'without'} JavaScript`, () => {
		let browser: TestBrowser;
		let casePath = '';
		let photo: Buffer;
		const id = randomId().slice(0, 6);
		const owner = newUser(javaScript ? 'images-js' : 'images-nojs');
		const title = `Night market lights ${javaScript ? 'JS' : 'no JS'} ${id}`;
		// axe runs its script in the page, which needs JavaScript.
		const checkAxe = async () => {
			if (javaScript) await expectNoAxeViolations(browser.page);
		};

		const uploadForm = () =>
			browser.page.getByRole('form', { name: text('caseimages_upload_heading') });

		/** Submits the upload form; waits for the page load without JS or the settled form with it. */
		const submitUpload = (settled: () => Promise<unknown>) =>
			submitAndWait(browser.page, button(uploadForm(), 'caseimages_upload_submit'), settled);

		beforeAll(async () => {
			const seeded = seedCaseStudy({
				title,
				owner,
				ownerOrganisation: `Images City ${id}`,
				validator: newUser('images-validator'),
				validatorOrganisation: `Images Partner ${id}`
			});
			casePath = `/cases/${seeded.slug}`;
			photo = await sharp({
				create: { width: 1400, height: 900, channels: 3, background: '#2a7f62' }
			})
				.jpeg()
				.toBuffer();
			browser = await openBrowser({ javaScript });
			await login(browser, owner);
		});

		afterAll(async () => {
			await browser?.close();
		});

		test('the images page is reached from the case page and passes axe', async () => {
			await browser.visit(casePath);
			await clickAndWaitForUrl(
				browser.page,
				browser.page.getByRole('link', { name: text('casepage_images_link'), exact: true }),
				(url) => url.pathname === `${casePath}/images`
			);
			expect(await heading(browser.page)).toBe(text('caseimages_title', { title }));
			await checkAxe();
		});

		test('a missing alt text is explained and the caption kept; then the cover is added', async () => {
			const form = uploadForm();
			await field(form, 'caseimages_file_label').setInputFiles({
				name: 'market.jpg',
				mimeType: 'image/jpeg',
				buffer: photo
			});
			await field(form, 'caseimages_caption_label').fill('Photo: city energy office');
			await submitUpload(() => browser.page.getByRole('alert').waitFor());
			expect(await field(uploadForm(), 'caseimages_alt_label').getAttribute('aria-invalid')).toBe(
				'true'
			);
			expect(await field(uploadForm(), 'caseimages_caption_label').inputValue()).toBe(
				'Photo: city energy office'
			);
			await checkAxe();

			if (!javaScript) {
				// Without JavaScript the browser cannot keep the chosen file over a page load.
				await field(uploadForm(), 'caseimages_file_label').setInputFiles({
					name: 'market.jpg',
					mimeType: 'image/jpeg',
					buffer: photo
				});
			}
			await field(uploadForm(), 'caseimages_alt_label').fill(
				'Solar lamps over a night market lane'
			);
			await submitUpload(() =>
				expect
					.poll(() => browser.page.getByRole('status').first().textContent())
					.toContain(text('caseimages_done_uploaded'))
			);
			const thumbnail = browser.page.getByRole('img', {
				name: 'Solar lamps over a night market lane'
			});
			await expect
				.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth))
				.toBe(640);
			await checkAxe();
		});

		test('the case page shows the cover with its caption', async () => {
			await browser.visit(casePath);
			const cover = browser.page.getByRole('figure').filter({
				has: browser.page.getByRole('img', { name: 'Solar lamps over a night market lane' })
			});
			expect(await cover.textContent()).toContain('Photo: city energy office');
			await expect
				.poll(() => cover.getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth))
				.toBeGreaterThan(0);
			await checkAxe();
		});
	});
}

imagesJourney({ javaScript: true });
imagesJourney({ javaScript: false });
