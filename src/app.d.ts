import type { TokenAuthentication } from '$lib/server/api-tokens';
import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			requestId: string;
			user: SessionUser | null;
			session: Session | null;
			/** A valid API token on an /api/ request (hooks/api-auth.ts); null otherwise. */
			apiToken: TokenAuthentication | null;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}

export {};
