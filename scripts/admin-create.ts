/**
 * Creates an administrator, or promotes an existing account, in the DATABASE_PATH database:
 *
 *   npm run admin:create -- --email you@example.org --name "Your Name"
 *
 * The password comes from ADMIN_PASSWORD, or is asked for (hidden) on a terminal, or is read
 * from standard input: `printf '%s' "$PASSWORD" | npm run admin:create -- --email …`.
 * Migrations run first, so this works on a brand-new database too.
 */
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from '../paraglide.options.js';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

function usage(message: string): never {
	console.error(
		`${message}\nUsage: npm run admin:create -- --email you@example.org [--name "Your Name"]`
	);
	process.exit(2);
}

async function readStdin(): Promise<string> {
	let data = '';
	for await (const chunk of process.stdin) data += chunk;
	return data.replace(/\r?\n$/, '');
}

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
	return new Promise((resolve) => {
		const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
		const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
		(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
			if (s.startsWith(question)) write.call(rl, question);
		};
		rl.question(question, (answer) => {
			rl.close();
			process.stdout.write('\n');
			resolve(answer);
		});
	});
}

async function passwordFromUser(): Promise<string> {
	if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
	if (!process.stdin.isTTY) return readStdin();
	const first = await askHidden('Password for the new admin (8–128 characters): ');
	const second = await askHidden('Type it again: ');
	if (first !== second) usage('The two passwords differ.');
	return first;
}

async function main() {
	const { values } = parseArgs({
		options: { email: { type: 'string' }, name: { type: 'string' } },
		strict: true
	});
	if (!values.email) usage('--email is required.');
	// The domain code's messages come from Paraglide; compile them if no build or check has yet.
	if (!existsSync('./src/lib/paraglide/messages.js')) {
		await compile(paraglideOptions);
	}
	const { config } = await import('../src/lib/server/config');
	const { openDatabase, runMigrations } = await import('../src/lib/server/db');
	const accounts = await import('../src/lib/server/accounts');
	const db = openDatabase(config.databasePath);
	runMigrations(db);
	const existing = accounts.findAccountByEmail(db, values.email);
	const password = existing ? null : await passwordFromUser();
	const result = await accounts.createOrPromoteAdmin(db, {
		email: values.email,
		name: values.name,
		password
	});
	db.$client.close();
	if (!result.ok) {
		console.error(result.message);
		process.exit(1);
	}
	const what = {
		created: 'Created the administrator',
		promoted: 'Promoted the existing account (its password is unchanged) to administrator:',
		unchanged: 'Already an administrator:'
	}[result.action];
	console.log(`${what} ${values.email.trim().toLowerCase()} in ${config.databasePath}`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
