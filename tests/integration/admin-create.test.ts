import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { randomId } from '../../src/lib/server/ids';
import { tmpRoot } from '../support/paths';

/** Runs `npm run admin:create` as an operator would, on its own database file. */
function adminCreate(
	args: string[],
	options: { input?: string; env?: Record<string, string> } = {}
) {
	const dbPath = options.env?.DATABASE_PATH ?? resolve(tmpRoot, `admin-${randomId()}.db`);
	const env: Record<string, string | undefined> = {
		...process.env,
		DATABASE_PATH: dbPath,
		...options.env
	};
	delete env.ADMIN_PASSWORD;
	if (options.env?.ADMIN_PASSWORD) env.ADMIN_PASSWORD = options.env.ADMIN_PASSWORD;
	const result = spawnSync(
		process.execPath,
		['--import', 'tsx', 'scripts/admin-create.ts', ...args],
		{
			env,
			input: options.input ?? '',
			encoding: 'utf8',
			timeout: 60_000
		}
	);
	return { ...result, dbPath };
}

function users(dbPath: string) {
	const db = new Database(dbPath, { readonly: true });
	try {
		return db.prepare('SELECT email, name, site_role FROM user ORDER BY email').all();
	} finally {
		db.close();
	}
}

describe('npm run admin:create', () => {
	it('migrates a new database and creates the admin with the password from stdin', () => {
		const run = adminCreate(['--email', 'Root@Example.org', '--name', 'Root Person'], {
			input: 'a very fine admin pass\n'
		});
		expect(run.stderr).toBe('');
		expect(run.status).toBe(0);
		expect(run.stdout).toContain('Created the administrator root@example.org');
		expect(users(run.dbPath)).toEqual([
			{ email: 'root@example.org', name: 'Root Person', site_role: 'admin' }
		]);
		const again = adminCreate(['--email', 'root@example.org'], {
			env: { DATABASE_PATH: run.dbPath }
		});
		expect(again.status).toBe(0);
		expect(again.stdout).toContain('Already an administrator');
	}, 90_000);

	it('refuses a weak password, a missing email and unknown options', () => {
		const weak = adminCreate(['--email', 'boss@example.org'], {
			env: { ADMIN_PASSWORD: 'password' }
		});
		expect(weak.status).toBe(1);
		expect(weak.stderr).toContain('one of the most common passwords');
		expect(users(weak.dbPath)).toEqual([]);
		const missing = adminCreate([]);
		expect(missing.status).toBe(2);
		expect(missing.stderr).toContain('--email is required');
		expect(adminCreate(['--email', 'x@example.org', '--bogus']).status).not.toBe(0);
	}, 90_000);
});
