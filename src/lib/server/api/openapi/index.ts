export {
	API_VERSION,
	LICENCE_URL,
	documentFor,
	openApiDocument,
	type OpenApiDocument
} from './document';
