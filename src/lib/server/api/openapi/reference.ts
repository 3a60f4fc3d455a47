/**
 * The OpenAPI document turned into what /api/v1/docs shows: operations grouped by tag, with
 * parameters, body fields, answers and a curl example, all read from the document so the page
 * cannot say something the document does not.
 */
import type { OpenApiDocument } from './document';

type Schema = Record<string, unknown>;

export type ReferenceField = {
	name: string;
	location: string;
	type: string;
	required: boolean;
	description: string;
};
export type ReferenceOperation = {
	anchor: string;
	method: string;
	path: string;
	summary: string;
	description: string;
	parameters: ReferenceField[];
	body: { schema: string; fields: ReferenceField[] } | null;
	responses: { status: string; description: string; contentTypes: string[] }[];
	needsToken: boolean;
	curl: string;
};
export type ReferenceSection = {
	anchor: string;
	tag: string;
	description: string;
	operations: ReferenceOperation[];
};

const anchorOf = (text: string) =>
	text
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

const MAX_VALUES_SHOWN = 12;

/** A schema in a few words: "integer, 1–100", "one of: S, E, J", "list of: …". */
export function describeSchema(
	schema: Schema | undefined,
	components: Record<string, Schema>
): string {
	if (!schema) return '';
	if (typeof schema.$ref === 'string') return schema.$ref.split('/').at(-1) ?? '';
	const options = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
	if (options) {
		const described = options
			.filter((option) => option.type !== 'null')
			.map((option) => describeSchema(option, components));
		const nullable = options.some((option) => option.type === 'null');
		return [...new Set(described)].join(' | ') + (nullable ? ' | null' : '');
	}
	if (Array.isArray(schema.enum)) {
		const values = schema.enum.map((value) => (value === '' ? '""' : String(value)));
		const shown = values.slice(0, MAX_VALUES_SHOWN).join(', ');
		return `one of: ${shown}${values.length > MAX_VALUES_SHOWN ? ', …' : ''}`;
	}
	if (schema.type === 'array') {
		const items = describeSchema(schema.items as Schema | undefined, components);
		const max = typeof schema.maxItems === 'number' ? ` (at most ${schema.maxItems})` : '';
		return `list of ${items}${max}`;
	}
	const type = Array.isArray(schema.type) ? schema.type.join(' | ') : String(schema.type ?? 'any');
	const details: string[] = [];
	if (typeof schema.minimum === 'number' || typeof schema.maximum === 'number') {
		details.push(`${schema.minimum ?? '…'}–${schema.maximum ?? '…'}`);
	}
	if (typeof schema.minLength === 'number' || typeof schema.maxLength === 'number') {
		details.push(`${schema.minLength ?? 0}–${schema.maxLength ?? '…'} characters`);
	}
	if (typeof schema.pattern === 'string') details.push(`pattern ${schema.pattern}`);
	if (typeof schema.format === 'string') details.push(schema.format);
	if (schema.default !== undefined) details.push(`default ${JSON.stringify(schema.default)}`);
	return details.length ? `${type}, ${details.join(', ')}` : type;
}

function exampleQuery(parameters: ReferenceField[], path: string): string {
	const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => `{${name}}`);
	const hasLimit = parameters.some((parameter) => parameter.name === 'limit');
	return hasLimit && !filled.includes('{') ? `${filled}?limit=5` : filled;
}

export function reference(document: OpenApiDocument): ReferenceSection[] {
	const components = document.components.schemas as Record<string, Schema>;
	const origin = document.servers[0].url;
	const sections = new Map<string, ReferenceSection>(
		document.tags.map((tag) => [
			tag.name,
			{ anchor: anchorOf(tag.name), tag: tag.name, description: tag.description, operations: [] }
		])
	);
	for (const [path, item] of Object.entries(document.paths)) {
		for (const [method, operation] of Object.entries(item)) {
			const parameters: ReferenceField[] = (operation.parameters ?? []).map((parameter) => ({
				name: parameter.name,
				location: parameter.in,
				type: describeSchema(parameter.schema, components),
				required: parameter.required ?? false,
				description: parameter.description ?? ''
			}));
			const bodyRef = (
				operation.requestBody as
					{ content: Record<string, { schema: { $ref: string } }> } | undefined
			)?.content['application/json'].schema.$ref;
			const bodyName = bodyRef?.split('/').at(-1);
			const bodySchema = bodyName ? components[bodyName] : undefined;
			const required = new Set((bodySchema?.required as string[] | undefined) ?? []);
			const body =
				bodyName && bodySchema
					? {
							schema: bodyName,
							fields: Object.entries(bodySchema.properties as Record<string, Schema>).map(
								([name, schema]) => ({
									name,
									location: 'body',
									type: describeSchema(schema, components),
									required: required.has(name),
									description: String(schema.description ?? '')
								})
							)
						}
					: null;
			const needsToken = Boolean(operation.security?.length);
			const target = `${origin}${exampleQuery(parameters, path)}`;
			const curl =
				method === 'get'
					? `curl '${target}'`
					: `curl -X ${method.toUpperCase()} '${target}' \\\n  -H 'Authorization: Bearer cbt_…' \\\n  -H 'Content-Type: application/json' \\\n  --data @${bodyName === undefined ? 'body' : bodyName.toLowerCase()}.json`;
			sections.get(operation.tags[0])?.operations.push({
				anchor: anchorOf(operation.operationId),
				method: method.toUpperCase(),
				path,
				summary: operation.summary,
				description: operation.description ?? '',
				parameters,
				body,
				responses: Object.entries(operation.responses).map(([status, response]) => {
					const answer = response as { description: string; content?: Record<string, unknown> };
					return {
						status,
						description: answer.description,
						contentTypes: Object.keys(answer.content ?? {})
					};
				}),
				needsToken,
				curl
			});
		}
	}
	return [...sections.values()].filter((section) => section.operations.length > 0);
}
