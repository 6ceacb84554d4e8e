/** Types of code-cache.mjs (plain JavaScript, loaded by the bin before anything is compiled). */
export function cacheOf(file: string): string;
export function runWithCodeCache(file: string): void;
