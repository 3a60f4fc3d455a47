/**
 * The one set of Paraglide compiler options: the Vite plugin (build, dev, tests) and
 * `npm run check` (scripts/paraglide-compile.js) both compile with it, so whichever ran last
 * leaves the same runtime (locale from the URL, `/fr` prefix, English unprefixed).
 * @type {import('@inlang/paraglide-js').CompilerOptions}
 */
export const paraglideOptions = {
	project: './project.inlang',
	outdir: './src/lib/paraglide',
	strategy: ['url', 'baseLocale'],
	urlPatterns: [
		{
			pattern: '/:path(.*)?',
			localized: [
				['fr', '/fr/:path(.*)?'],
				['en', '/:path(.*)?']
			]
		}
	]
};
