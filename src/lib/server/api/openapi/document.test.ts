import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, test } from 'vitest';
import { openApiDocument } from './document';

describe('the OpenAPI document', () => {
	const document = openApiDocument('https://citybridge.example');

	test('validates as OpenAPI 3.1', async () => {
		const result = await new Validator().validate(structuredClone(document));
		expect(result.errors ?? []).toEqual([]);
		expect(result.valid).toBe(true);
		expect(document.openapi).toBe('3.1.0');
	});

	test('every operation has a unique operationId, a tag and an error answer', () => {
		const ids = new Set<string>();
		for (const [path, item] of Object.entries(document.paths)) {
			for (const [method, operation] of Object.entries(item)) {
				expect(ids.has(operation.operationId), `${method} ${path}`).toBe(false);
				ids.add(operation.operationId);
				expect(operation.tags.length).toBeGreaterThan(0);
			}
		}
	});

	test('the write bodies are the forms’ schemas', () => {
		const create = document.components.schemas.NeedCreate as {
			required: string[];
			properties: Record<string, unknown>;
		};
		expect(create.required).toContain('organisationId');
		expect(create.required).toContain('title');
		expect(create.required).toContain('themes');
		expect(create.required).not.toContain('budgetAmount');
		expect(create.required).not.toContain('budgetCurrency');
		expect(Object.keys(create.properties)).toContain('budgetAmount');
		expect(Object.keys(document.components.schemas.NeedUpdate.properties as object)).not.toContain(
			'organisationId'
		);
	});
});
