import sharp from 'sharp';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import {
	newOrganisation,
	seedCase,
	signedIn,
	signedInAdmin,
	type SignedIn
} from '../support/case-fixtures';
import { HttpClient, queryServerDb } from '../support/http-client';

const baseUrl = inject('baseUrl');
const dbPath = inject('dbPath');

let member: SignedIn;
let stranger: SignedIn;
let draft: { id: string; slug: string };
let published: { id: string; slug: string };
let photo: Buffer;

/** The upload form as a browser sends it: multipart, the file with its name and claimed type. */
function uploadForm(
	fields: Record<string, string>,
	file?: { bytes: Uint8Array; name: string; type?: string }
) {
	const form = new FormData();
	if (file) {
		form.append(
			'file',
			new Blob([new Uint8Array(file.bytes)], { type: file.type ?? '' }),
			file.name
		);
	}
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	return form;
}

const upload = (client: HttpClient, slug: string, form: FormData) =>
	client.postForm(`/cases/${slug}/images?/upload`, form);

/** The image rows of a case in the server's database, newest last. */
const imagesOf = (caseStudyId: string) =>
	queryServerDb<{ id: string; role: string; alt: string; content_hash: string }>(
		dbPath,
		'SELECT id, role, alt, content_hash FROM case_study_image WHERE case_study_id = ? ORDER BY created_at',
		caseStudyId
	);

/** The alert text and the field messages of a re-rendered page. */
async function failure(response: Response) {
	const html = await response.text();
	const alert = html.match(/<div class="notice error" role="alert">([\s\S]*?)<\/div>/)?.[1] ?? '';
	return { html, alert: alert.replace(/<!--[^>]*-->/g, '').replace(/<[^>]+>/g, ' ') };
}

beforeAll(async () => {
	member = await signedIn(baseUrl, dbPath, 'images-member');
	stranger = await signedIn(baseUrl, dbPath, 'images-stranger');
	const organisation = await newOrganisation(member, dbPath, { verified: true });
	draft = seedCase(dbPath, { organisationId: organisation.id, authorId: member.userId });
	published = seedCase(dbPath, {
		organisationId: organisation.id,
		authorId: member.userId,
		state: 'published'
	});
	photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2a7f62' } })
		.jpeg()
		.withExif({ IFD0: { Make: 'PhoneCo' } })
		.toBuffer();
});

describe('uploading', () => {
	it('takes a multipart upload from a member and serves it as WebP with long caching', async () => {
		const response = await upload(
			member.client,
			published.slug,
			uploadForm(
				{ alt: 'Solar lamps over a market lane', caption: 'Photo: city office', role: 'cover' },
				{ bytes: photo, name: 'lamps.jpg', type: 'image/jpeg' }
			)
		);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe(`/cases/${published.slug}/images?done=uploaded`);
		const [image] = imagesOf(published.id);
		expect(image).toMatchObject({ role: 'cover', alt: 'Solar lamps over a market lane' });

		const page = await member.client.get(response.headers.get('location')!);
		const html = await page.text();
		expect(html).toContain('The image was added.');
		expect(html).toContain(`/media/case-studies/${image.id}?v=${image.content_hash}`);

		const visitor = new HttpClient(baseUrl);
		const served = await visitor.get(`/media/case-studies/${image.id}?v=${image.content_hash}`);
		expect(served.status).toBe(200);
		expect(served.headers.get('content-type')).toBe('image/webp');
		expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		expect(served.headers.get('x-content-type-options')).toBe('nosniff');
		const etag = served.headers.get('etag');
		expect(etag).toBe(`"${image.content_hash}"`);
		const bytes = Buffer.from(await served.arrayBuffer());
		expect(bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
		const metadata = await sharp(bytes).metadata();
		expect([metadata.format, metadata.width, metadata.height, metadata.exif]).toEqual([
			'webp',
			1200,
			800,
			undefined
		]);

		const again = await visitor.get(`/media/case-studies/${image.id}?v=${image.content_hash}`, {
			'if-none-match': etag!
		});
		expect(again.status).toBe(304);
		expect(again.headers.get('etag')).toBe(etag);
		expect(await again.text()).toBe('');

		const phone = await visitor.get(
			`/media/case-studies/${image.id}?v=${image.content_hash}&w=640`
		);
		expect((await sharp(Buffer.from(await phone.arrayBuffer())).metadata()).width).toBe(640);
		expect(phone.headers.get('etag')).toBe(`"${image.content_hash}-640"`);

		const unversioned = await visitor.get(`/media/case-studies/${image.id}`);
		expect(unversioned.headers.get('cache-control')).toBe('public, no-cache');

		// A signed-in reader's session cookie never rides on a response that caches may share.
		const asMember = await member.client.get(
			`/media/case-studies/${image.id}?v=${image.content_hash}`
		);
		expect(asMember.status).toBe(200);
		expect(asMember.headers.get('set-cookie')).toBeNull();
	});

	it('shows the images on the case page to everyone', async () => {
		const html = await (await new HttpClient(baseUrl).get(`/cases/${published.slug}`)).text();
		const [image] = imagesOf(published.id);
		expect(html).toContain(`/media/case-studies/${image.id}?v=${image.content_hash}`);
		expect(html).toContain('alt="Solar lamps over a market lane"');
	});

	it('accepts a PNG named .jpg as the PNG it is', async () => {
		const png = await sharp({
			create: { width: 300, height: 200, channels: 4, background: '#fff0' }
		})
			.png()
			.toBuffer();
		const response = await upload(
			member.client,
			draft.slug,
			uploadForm(
				{ alt: 'A chart of lit lanes', role: 'figure' },
				{ bytes: png, name: 'chart.jpg', type: 'image/jpeg' }
			)
		);
		expect(response.status).toBe(303);
		expect(imagesOf(draft.id).at(-1)).toMatchObject({
			role: 'figure',
			alt: 'A chart of lit lanes'
		});
	});

	it('refuses a broken file with a message, keeping the alt text and caption', async () => {
		const before = imagesOf(draft.id).length;
		const truncated = photo.subarray(0, Math.floor(photo.length / 2));
		const response = await upload(
			member.client,
			draft.slug,
			uploadForm(
				{ alt: 'Traders <b>&</b> "lamps"', caption: 'Zażółć gęślą jaźń 🌞', role: 'figure' },
				{ bytes: truncated, name: 'photo.jpg', type: 'image/jpeg' }
			)
		);
		expect(response.status).toBe(400);
		const { html, alert } = await failure(response);
		expect(alert).toContain('damaged or incomplete');
		expect(html).toContain('value="Traders &lt;b>&amp;&lt;/b> &quot;lamps&quot;"');
		expect(html).toContain('value="Zażółć gęślą jaźń 🌞"');
		expect(html).toMatch(/id="file"[^>]*aria-invalid="true"/);
		expect(html).toContain('the browser cannot keep the chosen file');
		expect(imagesOf(draft.id)).toHaveLength(before);
	});

	it('refuses a text file named .png, an SVG and a missing file', async () => {
		const cases = [
			{ bytes: Buffer.from('meeting notes\n'), name: 'notes.png', type: 'image/png' },
			{
				bytes: Buffer.from(
					'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
				),
				name: 'logo.svg',
				type: 'image/svg+xml'
			}
		];
		for (const file of cases) {
			const response = await upload(
				member.client,
				draft.slug,
				uploadForm({ alt: 'Not really an image', role: 'figure' }, file)
			);
			expect(response.status).toBe(400);
			expect((await failure(response)).alert).toContain('not a JPEG, PNG or WebP image');
		}
		const missing = await upload(
			member.client,
			draft.slug,
			uploadForm({ alt: 'No file chosen', role: 'figure' })
		);
		expect(missing.status).toBe(400);
		expect((await failure(missing)).alert).toContain('Choose an image file');
	});

	it('needs alt text, a short caption and a known role, and says so with the file problem', async () => {
		const response = await upload(
			member.client,
			draft.slug,
			uploadForm(
				{ alt: '   ', caption: 'x'.repeat(301), role: 'banner' },
				{ bytes: Buffer.from('nope'), name: 'x.png' }
			)
		);
		expect(response.status).toBe(400);
		const { html, alert } = await failure(response);
		expect(alert).toContain('alt text');
		expect(alert).toContain('300 characters');
		expect(alert).toContain('cover image or a figure');
		expect(alert).toContain('not a JPEG, PNG or WebP image');
		expect(html).toMatch(/id="alt"[^>]*aria-invalid="true"/);
		expect(html).toContain(`value="${'x'.repeat(301)}"`);

		// With JavaScript (use:enhance) the failure comes back as JSON with the same echo.
		const enhanced = await member.client.postForm(
			`/cases/${draft.slug}/images?/upload`,
			uploadForm({ alt: '', caption: 'Kept', role: 'figure' }, { bytes: photo, name: 'a.jpg' }),
			{ headers: { 'x-sveltekit-action': 'true', accept: 'application/json' } }
		);
		const body = (await enhanced.json()) as { type: string; status: number; data: string };
		expect([body.type, body.status]).toEqual(['failure', 400]);
		expect(body.data).toContain('Kept');
	});

	it('answers an oversize upload with a clear message, not a crash', async () => {
		const tooBig = Buffer.alloc(5 * 1024 * 1024 + 1000, 0);
		tooBig.set([0xff, 0xd8, 0xff]);
		const response = await upload(
			member.client,
			draft.slug,
			uploadForm({ alt: 'A very large photo', role: 'figure' }, { bytes: tooBig, name: 'big.jpg' })
		);
		expect(response.status).toBe(413);
		const { html, alert } = await failure(response);
		expect(alert).toMatch(/This file is 5 MB; an image can be at most 5 MB/);
		expect(html).toContain('value="A very large photo"');

		// Over the server's request body limit (BODY_SIZE_LIMIT=6M): the body is not read at all.
		const huge = await upload(
			member.client,
			draft.slug,
			uploadForm(
				{ alt: 'Huge', role: 'figure' },
				{ bytes: Buffer.alloc(7 * 1024 * 1024, 1), name: 'huge.jpg' }
			)
		);
		expect(huge.status).toBe(413);
		expect((await failure(huge)).alert).toContain(
			'The upload was too large: an image can be at most 5 MB'
		);
	});

	it('keeps to one cover per case', async () => {
		const response = await upload(
			member.client,
			published.slug,
			uploadForm({ alt: 'Another cover', role: 'cover' }, { bytes: photo, name: 'c.jpg' })
		);
		expect(response.status).toBe(409);
		const { html, alert } = await failure(response);
		expect(alert).toContain('already has a cover image');
		expect(html).toContain('value="Another cover"');
	});
});

describe('who may', () => {
	it('refuses strangers and signed-out visitors, and hides drafts from them', async () => {
		const form = () =>
			uploadForm({ alt: 'Intruder', role: 'figure' }, { bytes: photo, name: 'x.jpg' });
		const onPublished = await upload(stranger.client, published.slug, form());
		expect(onPublished.status).toBe(403);
		const onDraft = await upload(stranger.client, draft.slug, form());
		expect(onDraft.status).toBe(404);
		expect((await stranger.client.get(`/cases/${published.slug}/images`)).status).toBe(403);

		const visitor = new HttpClient(baseUrl);
		const signedOut = await upload(visitor, published.slug, form());
		expect(signedOut.status).toBe(303);
		expect(signedOut.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
		expect(imagesOf(published.id).map((image) => image.alt)).not.toContain('Intruder');

		const admin = await signedInAdmin(baseUrl, dbPath);
		expect((await upload(admin.client, published.slug, form())).status).toBe(403);
	});

	it('serves a draft case image to its members only; others get an uncached 404', async () => {
		const [image] = imagesOf(draft.id);
		const path = `/media/case-studies/${image.id}?v=${image.content_hash}`;
		const own = await member.client.get(path);
		expect(own.status).toBe(200);
		expect(own.headers.get('cache-control')).toBe('private, no-cache');
		for (const client of [stranger.client, new HttpClient(baseUrl)]) {
			const hidden = await client.get(path);
			expect(hidden.status).toBe(404);
			expect(hidden.headers.get('cache-control')).toBe('private, no-store');
			expect(hidden.headers.get('content-type')).not.toContain('image');
		}
		expect((await stranger.client.get('/media/case-studies/no-such-image')).status).toBe(404);
	});

	it('refuses a stranger changing or removing an image, and ids from another case', async () => {
		const [image] = imagesOf(published.id);
		const update = await stranger.client.postForm(`/cases/${published.slug}/images?/update`, {
			imageId: image.id,
			alt: 'Defaced',
			role: 'cover'
		});
		expect(update.status).toBe(403);
		const remove = await stranger.client.postForm(`/cases/${published.slug}/images?/delete`, {
			imageId: image.id,
			confirm: 'yes'
		});
		expect(remove.status).toBe(403);
		const crossCase = await member.client.postForm(`/cases/${draft.slug}/images?/delete`, {
			imageId: image.id,
			confirm: 'yes'
		});
		expect(crossCase.status).toBe(404);
		expect((await failure(crossCase)).alert).toContain('does not exist any more');
		expect(imagesOf(published.id)[0]).toMatchObject({ id: image.id, alt: image.alt });
	});
});

describe('changing and removing', () => {
	it('changes the alt text; a missing alt is refused with the typed caption kept', async () => {
		const [image] = imagesOf(draft.id);
		const bad = await member.client.postForm(`/cases/${draft.slug}/images?/update`, {
			imageId: image.id,
			alt: '',
			caption: 'Kept caption',
			role: 'figure'
		});
		expect(bad.status).toBe(400);
		const { html, alert } = await failure(bad);
		expect(alert).toContain('alt text');
		expect(html).toContain('value="Kept caption"');
		expect(html).toMatch(new RegExp(`id="alt-${image.id}"[^>]*aria-invalid="true"`));

		const good = await member.client.postForm(`/cases/${draft.slug}/images?/update`, {
			imageId: image.id,
			alt: 'A chart of lit lanes by month',
			caption: '',
			role: 'figure'
		});
		expect(good.status).toBe(303);
		expect(imagesOf(draft.id)[0].alt).toBe('A chart of lit lanes by month');
	});

	it('removes an image only with the confirmation ticked', async () => {
		const [image] = imagesOf(draft.id);
		const unconfirmed = await member.client.postForm(`/cases/${draft.slug}/images?/delete`, {
			imageId: image.id
		});
		expect(unconfirmed.status).toBe(400);
		expect((await failure(unconfirmed)).alert).toContain('Tick the box');
		expect(imagesOf(draft.id).map((row) => row.id)).toContain(image.id);

		const confirmed = await member.client.postForm(`/cases/${draft.slug}/images?/delete`, {
			imageId: image.id,
			confirm: 'yes'
		});
		expect(confirmed.status).toBe(303);
		expect(imagesOf(draft.id).map((row) => row.id)).not.toContain(image.id);
		expect((await member.client.get(`/media/case-studies/${image.id}`)).status).toBe(404);
	});
});
