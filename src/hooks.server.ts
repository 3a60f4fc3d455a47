import { building } from '$app/environment';
import type { ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { startServer } from '$lib/server/startup';
import { handleApiAuth } from '$lib/server/hooks/api-auth';
import { handleCompression } from '$lib/server/hooks/compression';
import { handleLocale } from '$lib/server/hooks/locale';
import { handleRequestLog, handleServerError } from '$lib/server/hooks/request-log';
import { handleReservedActionName } from '$lib/server/hooks/reserved-action';
import { handleSecurityHeaders } from '$lib/server/hooks/security-headers';
import { handleSession } from '$lib/server/hooks/session';

export const init: ServerInit = async () => {
	if (!building) await startServer();
};

export const handle = sequence(
	handleRequestLog,
	handleCompression,
	handleSecurityHeaders,
	handleLocale,
	handleSession,
	handleApiAuth,
	handleReservedActionName
);

export const handleError = handleServerError;
