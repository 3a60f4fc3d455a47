import type { z } from 'zod';

/** One field-level error in a problem document. */
export type ProblemFieldError = { field: string; message: string };

const titles: Record<number, string> = {
	400: 'Bad request',
	401: 'Authentication required',
	403: 'Forbidden',
	404: 'Not found',
	405: 'Method not allowed',
	409: 'Conflict',
	413: 'Payload too large',
	422: 'Unprocessable content',
	429: 'Too many requests',
	500: 'Internal server error',
	503: 'Service unavailable'
};

/** An RFC 9457 problem document: the API's only error shape. */
export function problem(
	status: number,
	detail: string,
	errors: ProblemFieldError[] = [],
	headers: Record<string, string> = {}
): Response {
	const title = titles[status] ?? 'Error';
	const body = {
		type: `about:blank`,
		title,
		status,
		detail,
		...(errors.length ? { errors } : {})
	};
	return new Response(JSON.stringify(body), {
		status,
		headers: { 'content-type': 'application/problem+json', ...headers }
	});
}

export function zodProblem(error: z.ZodError, detail = 'Some parameters are not valid.'): Response {
	return problem(
		400,
		detail,
		error.issues.map((issue) => ({
			field: issue.path.map(String).join('.') || 'query',
			message: issue.message
		}))
	);
}
