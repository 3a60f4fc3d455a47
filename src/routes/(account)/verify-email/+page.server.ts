import type { PageServerLoad } from './$types';
import * as accounts from '$lib/server/accounts';
import { appDb } from '$lib/server/db/app';

// The emailed link confirms on opening: the token is single-use, and whoever can open the mail
// owns the address, so a mail scanner following it confirms nothing it should not.
export const load: PageServerLoad = ({ url, locals }) => {
	const result = accounts.verifyEmail(appDb(), url.searchParams.get('token') ?? '');
	return { verified: result.ok, signedIn: locals.user !== null };
};
