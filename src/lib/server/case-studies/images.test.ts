import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { RuleError } from '$lib/server/organisations';
import {
	fileProblem,
	imageTextInput,
	maxFileBytes,
	MAX_FILE_BYTES,
	processUpload,
	sniffType
} from './images';

/** A photo-like image (noise compresses badly, like real photos do). */
async function noisyImage(width: number, height: number) {
	const pixels = Buffer.alloc(width * height * 3);
	for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 7919) % 251;
	return sharp(pixels, { raw: { width, height, channels: 3 } });
}

async function solid(width: number, height: number) {
	return sharp({ create: { width, height, channels: 3, background: '#2a7f62' } });
}

/** The RuleError a failed upload throws, with its `file` message. */
async function refusal(input: Uint8Array): Promise<RuleError> {
	try {
		await processUpload(input);
	} catch (error) {
		if (error instanceof RuleError) return error;
		throw error;
	}
	throw new Error('the upload was accepted');
}

/** A PNG whose header claims the given size, with one tiny compressed row: a decompression bomb. */
async function pngClaiming(width: number, height: number): Promise<Buffer> {
	const png = await (await solid(4, 4)).png().toBuffer();
	const ihdr = Buffer.from(png.subarray(8, 8 + 25));
	ihdr.writeUInt32BE(width, 8);
	ihdr.writeUInt32BE(height, 12);
	ihdr.writeUInt32BE(crc32(ihdr.subarray(4, 21)), 21);
	return Buffer.concat([png.subarray(0, 8), ihdr, png.subarray(33)]);
}

describe('sniffType', () => {
	it('reads the type from the first bytes', async () => {
		expect(sniffType(await (await solid(2, 2)).jpeg().toBuffer())).toBe('jpeg');
		expect(sniffType(await (await solid(2, 2)).png().toBuffer())).toBe('png');
		expect(sniffType(await (await solid(2, 2)).webp().toBuffer())).toBe('webp');
		expect(sniffType(await (await solid(2, 2)).gif().toBuffer())).toBeNull();
		expect(sniffType(Buffer.from('RIFF....WAVEfmt '))).toBeNull();
		expect(sniffType(new Uint8Array([0xff, 0xd8]))).toBeNull();
	});
});

describe('processUpload', () => {
	it('re-encodes a JPEG as WebP with its size kept when small', async () => {
		const jpeg = await (await noisyImage(400, 300)).jpeg().toBuffer();
		const image = await processUpload(jpeg);
		expect(sniffType(image.data)).toBe('webp');
		expect([image.width, image.height]).toEqual([400, 300]);
		expect(image.smallData).toBeNull();
		expect(image.contentHash).toMatch(/^[0-9a-f]{32}$/);
		const metadata = await sharp(image.data).metadata();
		expect([metadata.format, metadata.width, metadata.height]).toEqual(['webp', 400, 300]);
	});

	it('shrinks large images to 1600 px on the longer side and adds a 640 px copy', async () => {
		const wide = await processUpload(await (await solid(3200, 1000)).png().toBuffer());
		expect([wide.width, wide.height]).toEqual([1600, 500]);
		const small = await sharp(wide.smallData!).metadata();
		expect([small.format, small.width, small.height]).toEqual(['webp', 640, 200]);

		const tall = await processUpload(await (await solid(1000, 4000)).jpeg().toBuffer());
		expect([tall.width, tall.height]).toEqual([400, 1600]);
		expect(tall.smallData).toBeNull();
	});

	it('drops EXIF (camera, GPS position) and applies the orientation before dropping it', async () => {
		const withExif = await (
			await noisyImage(300, 200)
		)
			.jpeg()
			.withExif({
				IFD0: { Make: 'PhoneCo', Model: 'Snap 5', Copyright: 'Someone' },
				IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '1/1 17/1 0/1' }
			})
			.withMetadata({ orientation: 6 })
			.toBuffer();
		const before = await sharp(withExif).metadata();
		expect(before.exif).toBeDefined();
		expect(before.orientation).toBe(6);

		const image = await processUpload(withExif);
		const after = await sharp(image.data).metadata();
		expect(after.exif).toBeUndefined();
		expect(after.xmp).toBeUndefined();
		expect(after.icc).toBeUndefined();
		expect(after.orientation).toBeUndefined();
		expect(image.data.includes(Buffer.from('PhoneCo'))).toBe(false);
		// Orientation 6 means "rotate 90°": the stored image stands upright.
		expect([image.width, image.height]).toEqual([200, 300]);
	});

	it('accepts a PNG whatever its file name says (the name never reaches the server code)', async () => {
		const png = await (await solid(50, 40)).png().toBuffer();
		const image = await processUpload(new Uint8Array(png));
		expect([image.width, image.height]).toEqual([50, 40]);
	});

	it('takes the first frame of an animated WebP', async () => {
		const frame = async (background: string) =>
			sharp({ create: { width: 20, height: 30, channels: 3, background } })
				.png()
				.toBuffer();
		const animated = await sharp([await frame('#ff0000'), await frame('#0000ff')], {
			join: { animated: true }
		})
			.webp()
			.toBuffer();
		expect((await sharp(animated).metadata()).pages).toBe(2);
		const image = await processUpload(animated);
		expect([image.width, image.height]).toEqual([20, 30]);
		expect((await sharp(image.data).metadata()).pages).toBeUndefined();
	});

	it('refuses a text file, whatever its name', async () => {
		const error = await refusal(Buffer.from('just some notes, saved as photo.png\n'));
		expect(error.code).toBe('not_image');
		expect(error.errors.file).toMatch(/not a JPEG, PNG or WebP/);
	});

	it('refuses an SVG (it can carry scripts) and a GIF', async () => {
		const svg = Buffer.from(
			'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
		);
		expect((await refusal(svg)).code).toBe('not_image');
		expect((await refusal(await (await solid(5, 5)).gif().toBuffer())).code).toBe('not_image');
	});

	it('refuses a truncated JPEG and a PNG with a broken body', async () => {
		const jpeg = await (await noisyImage(300, 200)).jpeg().toBuffer();
		const truncated = jpeg.subarray(0, Math.floor(jpeg.length / 2));
		const error = await refusal(truncated);
		expect(error.code).toBe('broken');
		expect(error.errors.file).toMatch(/damaged or incomplete/);

		const png = await (await noisyImage(100, 100)).png().toBuffer();
		const garbled = Buffer.from(png);
		garbled.fill(0x41, 60, png.length - 20);
		expect((await refusal(garbled)).code).toBe('broken');
		expect((await refusal(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))).code).toBe('broken');
	});

	it('refuses images with more than 50 million pixels before decoding them', async () => {
		const bomb = await pngClaiming(60_000, 60_000);
		expect(bomb.length).toBeLessThan(200);
		const error = await refusal(bomb);
		expect(error.code).toBe('too_many_pixels');
		expect(error.errors.file).toContain('60000 × 60000');
	});

	it('refuses an empty file and one over the size limit', async () => {
		expect((await refusal(new Uint8Array())).code).toBe('file_required');
		const big = Buffer.alloc(MAX_FILE_BYTES + 1, 0);
		big.set([0xff, 0xd8, 0xff]);
		const error = await refusal(big);
		expect([error.code, error.status]).toEqual(['file_too_big', 413]);
		expect(error.errors.file).toMatch(/5 MB/);
	});
});

describe('maxFileBytes and fileProblem', () => {
	it('keeps the file limit inside the request body limit', () => {
		expect(maxFileBytes(6 * 1024 * 1024)).toBe(MAX_FILE_BYTES);
		expect(maxFileBytes(512 * 1024)).toBe(448 * 1024);
		expect(maxFileBytes(Infinity)).toBe(MAX_FILE_BYTES);
		expect(fileProblem(Buffer.alloc(2000, 0xff), 1000)?.errors.file).toMatch(/at most/);
	});
});

describe('imageTextInput', () => {
	const errorsOf = (value: unknown) => {
		const result = imageTextInput.safeParse(value);
		return result.success
			? {}
			: Object.fromEntries(result.error.issues.map((i) => [i.path.join('.'), i.message]));
	};

	it('needs alt text of 1–250 characters, a caption of up to 300 and a known role', () => {
		expect(errorsOf({ alt: '  ', role: 'figure' }).alt).toMatch(/alt text/);
		expect(errorsOf({ role: 'figure' }).alt).toMatch(/alt text/);
		expect(errorsOf({ alt: 'x'.repeat(251), role: 'figure' }).alt).toMatch(/250/);
		expect(errorsOf({ alt: 'ok', caption: 'x'.repeat(301), role: 'figure' }).caption).toMatch(
			/300/
		);
		expect(errorsOf({ alt: 'ok', role: 'banner' }).role).toMatch(/cover image or a figure/);
		expect(errorsOf({ alt: 'ok', role: ['cover', 'figure'] }).role).toBeDefined();
	});

	it('keeps the text on one line', () => {
		expect(
			imageTextInput.parse({ alt: ' Solar\n lamps  at\tnight ', caption: '', role: 'cover' })
		).toEqual({ alt: 'Solar lamps at night', caption: '', role: 'cover' });
	});
});
