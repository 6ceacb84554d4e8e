/** Types of bundle-entry.mjs (plain JavaScript, run before anything is compiled). */
export function bundleFiles(root: string): { entry: string; local: string | null } | null;
export function bundleEntry(root: string): string | null;
