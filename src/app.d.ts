import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			requestId: string;
			user: SessionUser | null;
			session: Session | null;
		}
		interface Error {
			message: string;
			requestId?: string;
		}
	}
}

export {};
