import type { TestProject } from 'vitest/node';
import { startBuiltServer } from '../support/server';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
		dbPath: string;
	}
}

/** One built server for the browser suite; each journey registers its own users. */
export default async function setup(project: TestProject) {
	const server = await startBuiltServer();
	project.provide('baseUrl', server.url);
	project.provide('dbPath', server.dbPath);
	return () => server.stop();
}
