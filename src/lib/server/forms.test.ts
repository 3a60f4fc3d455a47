import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formFailure, formValues, parseForm } from './forms';

function form(entries: [string, string | Blob][]): FormData {
	const data = new FormData();
	for (const [key, value] of entries) data.append(key, value);
	return data;
}

const schema = z.object({
	name: z.string().trim().min(1, { error: 'Name is required' }).max(10, { error: 'Too long' }),
	tags: z.array(z.enum(['a', 'b'])).min(1, { error: 'Pick one' }),
	password: z.string().min(8, { error: 'Too short' })
});

describe('parseForm', () => {
	it('returns typed data for a valid form', () => {
		const result = parseForm(
			schema,
			form([
				['name', ' Ada '],
				['tags', 'a'],
				['tags', 'b'],
				['password', 'long enough']
			]),
			{ arrays: ['tags'] }
		);
		expect(result).toMatchObject({
			success: true,
			data: { name: 'Ada', tags: ['a', 'b'], password: 'long enough' }
		});
	});

	it('reports the first message per field and echoes what was typed, except secrets', () => {
		const result = parseForm(
			schema,
			form([
				['name', 'far too long a name'],
				['password', 'short']
			]),
			{ arrays: ['tags'] }
		);
		expect(result.success).toBe(false);
		if (result.success) return;
		expect(result.errors).toEqual({ name: 'Too long', tags: 'Pick one', password: 'Too short' });
		expect(result.echo).toEqual({ name: 'far too long a name', tags: [] });
	});

	it('rejects a file where text is expected and does not echo it', () => {
		const result = parseForm(
			schema,
			form([
				['name', new Blob(['x'])],
				['tags', 'a'],
				['password', 'long enough']
			]),
			{ arrays: ['tags'] }
		);
		expect(result.success).toBe(false);
		if (result.success) return;
		expect(result.errors.name).toBeTruthy();
		expect(result.echo.name).toBeUndefined();
	});

	it('treats a missing field as an empty one and an unknown value as invalid', () => {
		const result = parseForm(schema, form([['tags', 'zzz']]), { arrays: ['tags'] });
		expect(result.success).toBe(false);
		if (result.success) return;
		expect(Object.keys(result.errors).sort()).toEqual(['name', 'password', 'tags.0']);
	});
});

describe('formValues', () => {
	it('takes the first value of a repeated single field', () => {
		expect(
			formValues(
				form([
					['name', 'first'],
					['name', 'second']
				])
			)
		).toEqual({ name: 'first' });
	});
});

describe('formFailure', () => {
	it('has the one failure shape', () => {
		const failure = formFailure(400, { name: 'x' }, { name: 'Bad' }, 'Fix it');
		expect(failure.status).toBe(400);
		expect(failure.data).toEqual({
			message: 'Fix it',
			errors: { name: 'Bad' },
			values: { name: 'x' }
		});
	});
});
