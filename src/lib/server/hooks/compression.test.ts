import { describe, expect, it } from 'vitest';
import { preferredEncoding } from './compression';

describe('preferredEncoding', () => {
	it('prefers brotli, then gzip, among what the client accepts', () => {
		expect(preferredEncoding('gzip, deflate, br')).toBe('br');
		expect(preferredEncoding('gzip, deflate')).toBe('gzip');
		expect(preferredEncoding('GZIP')).toBe('gzip');
		expect(preferredEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
		expect(preferredEncoding('*')).toBe('br');
		expect(preferredEncoding('*;q=0.1, br;q=0')).toBe('gzip');
	});

	it('answers nothing when no supported encoding is acceptable', () => {
		expect(preferredEncoding(null)).toBeNull();
		expect(preferredEncoding('')).toBeNull();
		expect(preferredEncoding('identity')).toBeNull();
		expect(preferredEncoding('deflate, zstd')).toBeNull();
		expect(preferredEncoding('gzip;q=0, br;q=0')).toBeNull();
		expect(preferredEncoding('*;q=0')).toBeNull();
		expect(preferredEncoding('gzip;q=abc')).toBeNull();
	});
});
