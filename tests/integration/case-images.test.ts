import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/policy';
import type { Db } from '../../src/lib/server/db';
import * as table from '../../src/lib/server/db/schema';
import * as organisations from '../../src/lib/server/organisations';
import * as caseStudies from '../../src/lib/server/case-studies';
import * as images from '../../src/lib/server/case-studies/images';
import { freshDb } from '../support/db';
import { ensurePlaces, makeUser, places, type TestUser } from '../support/org-fixtures';

const demo = JSON.parse(readFileSync('db/demo/case-studies.json', 'utf8')) as Record<
	string,
	unknown
>[];

let db: Db;
let owner: TestUser;
let editor: TestUser;
let stranger: TestUser;
let moderatorUser: TestUser;
let organisationId: string;
let caseId: string;
let slug: string;
let photo: Buffer;

const actor = (user: TestUser): Actor => ({ id: user.id, siteRole: user.siteRole });
const text = (role: images.ImageRole, alt = 'Solar lamps along a market lane at night') => ({
	role,
	alt,
	caption: 'Photo: city energy office'
});

async function refusal(run: () => Promise<unknown>) {
	try {
		await run();
	} catch (error) {
		return error as organisations.RuleError & { status: number };
	}
	throw new Error('expected a refusal');
}

function syncRefusal(run: () => unknown) {
	try {
		run();
	} catch (error) {
		return error as organisations.RuleError & { status: number };
	}
	throw new Error('expected a refusal');
}

beforeAll(async () => {
	photo = await sharp({ create: { width: 900, height: 600, channels: 3, background: '#c84' } })
		.jpeg()
		.toBuffer();
});

beforeEach(() => {
	db = freshDb();
	ensurePlaces(db);
	owner = makeUser(db, 'member', 'owner');
	editor = makeUser(db, 'member', 'editor');
	stranger = makeUser(db, 'member', 'stranger');
	moderatorUser = makeUser(db, 'moderator', 'moderator');
	organisationId = organisations.createOrganisation(db, owner.id, {
		name: 'Nairobi City County',
		kind: 'city',
		country: 'KE',
		city: places.nairobi,
		website: null,
		description: '',
		languages: []
	}).id;
	db.insert(table.membership).values({ organisationId, userId: editor.id, role: 'editor' }).run();
	const input = caseStudies.caseStudyInput.parse({
		...demo[0],
		stakeholders: [{ name: 'City transport office', role: 'Lead', organisation: null }]
	});
	({ id: caseId, slug } = caseStudies.createDraft(db, actor(owner), { organisationId, input }));
});

describe('adding images', () => {
	it('stores the re-encoded image and shows it on the case page, cover first', async () => {
		const figure = await images.addImage(db, actor(editor), caseId, text('figure'), photo);
		const cover = await images.addImage(db, actor(owner), caseId, text('cover', 'Cover'), photo);
		const page = caseStudies.getBySlug(db, actor(owner), slug)!;
		expect(page.images.map((image) => [image.id, image.role])).toEqual([
			[cover.id, 'cover'],
			[figure.id, 'figure']
		]);
		expect(page.images[1]).toMatchObject({
			alt: 'Solar lamps along a market lane at night',
			caption: 'Photo: city energy office',
			width: 900,
			height: 600
		});
		expect(page.images[1].url).toMatch(
			new RegExp(`^/media/case-studies/${figure.id}\\?v=[0-9a-f]{32}$`)
		);
		expect(page.images[1].srcset).toContain('&w=640 640w');
		const row = db
			.select({ data: table.caseStudyImage.data, createdBy: table.caseStudyImage.createdBy })
			.from(table.caseStudyImage)
			.where(eq(table.caseStudyImage.id, figure.id))
			.get()!;
		expect((await sharp(row.data).metadata()).format).toBe('webp');
		expect(row.createdBy).toBe(editor.id);
	});

	it('allows one cover and six figures', async () => {
		await images.addImage(db, actor(owner), caseId, text('cover'), photo);
		const secondCover = await refusal(() =>
			images.addImage(db, actor(owner), caseId, text('cover'), photo)
		);
		expect([secondCover.status, secondCover.errors.role]).toEqual([
			409,
			expect.stringMatching(/already has a cover/)
		]);
		for (let n = 0; n < images.MAX_FIGURES; n += 1) {
			await images.addImage(db, actor(owner), caseId, text('figure'), photo);
		}
		const seventh = await refusal(() =>
			images.addImage(db, actor(owner), caseId, text('figure'), photo)
		);
		expect([seventh.status, seventh.errors.role]).toEqual([
			409,
			expect.stringMatching(/at most 6 figures/)
		]);
		expect(images.listImages(db, caseId)).toHaveLength(7);
	});

	it('refuses strangers, signed-out visitors and moderators before reading the file', async () => {
		const notAnImage = Buffer.from('not an image');
		expect(
			await refusal(() => images.addImage(db, actor(stranger), caseId, text('figure'), notAnImage))
		).toMatchObject({ status: 403 });
		expect(
			await refusal(() => images.addImage(db, null, caseId, text('figure'), notAnImage))
		).toMatchObject({ status: 401 });
		expect(
			await refusal(() =>
				images.addImage(db, actor(moderatorUser), caseId, text('figure'), notAnImage)
			)
		).toMatchObject({ status: 403 });
		expect(
			await refusal(() => images.addImage(db, actor(owner), 'no-such-case', text('figure'), photo))
		).toMatchObject({ status: 404 });
		expect(images.listImages(db, caseId)).toEqual([]);
	});

	it('refuses changes to an archived case', async () => {
		const { id } = await images.addImage(db, actor(owner), caseId, text('figure'), photo);
		caseStudies.publish(db, actor(moderatorUser), caseId);
		caseStudies.archive(db, actor(owner), caseId);
		expect(
			await refusal(() => images.addImage(db, actor(owner), caseId, text('figure'), photo))
		).toMatchObject({ status: 409, code: 'archived' });
		expect(
			syncRefusal(() => images.updateImage(db, actor(owner), caseId, id, text('figure', 'New')))
		).toMatchObject({ status: 409, code: 'archived' });
		expect(syncRefusal(() => images.removeImage(db, actor(owner), caseId, id))).toMatchObject({
			status: 409
		});
	});
});

describe('changing and removing images', () => {
	it('changes the text and role; a figure becomes the cover only when there is none', async () => {
		const cover = await images.addImage(db, actor(owner), caseId, text('cover'), photo);
		const figure = await images.addImage(db, actor(owner), caseId, text('figure'), photo);
		images.updateImage(db, actor(editor), caseId, figure.id, {
			role: 'figure',
			alt: 'Traders under the new lights',
			caption: ''
		});
		expect(images.listImages(db, caseId)[1]).toMatchObject({
			alt: 'Traders under the new lights',
			caption: ''
		});
		expect(
			syncRefusal(() => images.updateImage(db, actor(owner), caseId, figure.id, text('cover')))
		).toMatchObject({ status: 409, code: 'cover_taken' });
		images.updateImage(db, actor(owner), caseId, cover.id, text('figure'));
		images.updateImage(db, actor(owner), caseId, figure.id, text('cover'));
		expect(images.listImages(db, caseId).map((image) => [image.id, image.role])).toEqual([
			[figure.id, 'cover'],
			[cover.id, 'figure']
		]);
	});

	it('removes an image; ids of other cases and strangers are refused', async () => {
		const { id } = await images.addImage(db, actor(owner), caseId, text('figure'), photo);
		const other = caseStudies.createDraft(db, actor(owner), {
			organisationId,
			input: caseStudies.caseStudyInput.parse({ ...demo[1], stakeholders: [] })
		});
		expect(syncRefusal(() => images.removeImage(db, actor(owner), other.id, id))).toMatchObject({
			status: 404,
			code: 'image_not_found'
		});
		expect(syncRefusal(() => images.removeImage(db, actor(stranger), caseId, id))).toMatchObject({
			status: 403
		});
		expect(
			syncRefusal(() => images.updateImage(db, actor(stranger), caseId, id, text('figure')))
		).toMatchObject({ status: 403 });
		images.removeImage(db, actor(editor), caseId, id);
		expect(images.listImages(db, caseId)).toEqual([]);
	});

	it('deletes the images with their case', async () => {
		await images.addImage(db, actor(owner), caseId, text('figure'), photo);
		db.delete(table.caseStudy).where(eq(table.caseStudy.id, caseId)).run();
		expect(db.select().from(table.caseStudyImage).all()).toEqual([]);
	});
});

describe('serving images', () => {
	it('serves a draft case images to its members and moderators only, privately', async () => {
		const { id } = await images.addImage(db, actor(owner), caseId, text('figure'), photo);
		expect(images.imageForServing(db, null, id, false)).toBeNull();
		expect(images.imageForServing(db, actor(stranger), id, false)).toBeNull();
		expect(images.imageForServing(db, actor(moderatorUser), id, false)).not.toBeNull();
		const served = images.imageForServing(db, actor(editor), id, false)!;
		expect(served.isPublic).toBe(false);
		expect(served.etag).toMatch(/^"[0-9a-f]{32}"$/);

		caseStudies.publish(db, actor(moderatorUser), caseId);
		const published = images.imageForServing(db, null, id, true)!;
		expect(published.isPublic).toBe(true);
		expect(published.etag).toMatch(/^"[0-9a-f]{32}-640"$/);
		expect((await sharp(published.data).metadata()).width).toBe(640);
		expect(images.imageForServing(db, null, 'no-such-image', false)).toBeNull();
	});
});
