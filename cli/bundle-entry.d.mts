/** Types of bundle-entry.mjs (plain JavaScript, run before anything is compiled). */
export function bundleEntry(root: string): string | null;
