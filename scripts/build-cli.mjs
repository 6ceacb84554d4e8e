// Bundles the `quintet` command (cli/process-entry.ts) into dist/cli/ with esbuild, so the bin starts without compiling
// TypeScript (tsx) on every run. Packages stay external (resolved from node_modules at run time, native ones
// included), except the few small CommonJS ones every local run loads: bundled, Node need not scan their source for
// exports at each start. Each command is its own chunk, loaded only when that command runs. dist/cli/inputs.json lists the
// repository files the bundle was built from: cli/quintet.mjs (loaded by the bin, cli/quintet.cjs) runs the bundle only while none is newer.
// Runs on `npm ci` (prepare) and `npm run build:cli`; without esbuild it says so and leaves the bin on tsx.
import { mkdirSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = join(root, 'dist', 'cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  console.warn('build-cli: esbuild is not installed; the quintet command will run from source through tsx.');
  process.exit(0);
}

// Pure JavaScript, CommonJS, loaded by `quintet local`; everything else is resolved from node_modules at run time.
const BUNDLED = new Set(['cli-progress', 'ignore']);
const packageName = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
const externalPackages = {
  name: 'external-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      // A BUNDLED package, or what one of them requires (Node's own modules stay external: platform 'node').
      if (BUNDLED.has(packageName(args.path)) || args.importer.includes('/node_modules/')) return undefined;
      return { external: true };
    });
  },
};

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { quintet: 'cli/process-entry.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  plugins: [externalPackages],
  // The bundled CommonJS packages require Node's own modules (readline …): give each chunk a real `require`.
  banner: { js: "import { createRequire as __quintetRequire } from 'node:module'; const require = __quintetRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  sourcemap: 'linked',
  metafile: true,
  write: false,
  logLevel: 'warning',
});

// `quintet local` again, alone and as one CommonJS script (cli/local-entry.ts), which the bin runs through a vm.Script
// with V8's code cache (cli/code-cache.mjs): Node 20 caches no compiled ES module. The other commands' modules, which
// wait at their top level (CommonJS cannot), are left out: main.ts's import of one fails if it is ever reached, and the
// bin runs this script only for `quintet local`. Named by its content's hash, so its cache is never another build's.
const OTHER_COMMANDS = /^\.\/(create|join|group|test-connection|run|run-report|serve|versions)\.ts$/;
const localOnly = {
  name: 'local-only',
  setup(build) {
    build.onResolve({ filter: OTHER_COMMANDS }, (args) => (args.importer.endsWith('/cli/main.ts') ? { path: args.path, namespace: 'not-local' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'not-local' }, (args) => ({ contents: `throw new Error(${JSON.stringify(`${args.path}: not in the local script`)});`, loader: 'js' }));
  },
};
const local = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['cli/local-entry.ts'],
  outfile: join(outdir, 'local.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.19',
  plugins: [localOnly, externalPackages],
  // A script run through vm.Script has no loader for import() (Node 20): every dynamic import becomes a require.
  supported: { 'dynamic-import': false },
  // import.meta.url as an ES module would have it (adapters resolve packages and workers from it).
  define: { 'import.meta.url': '__quintetMetaUrl' },
  banner: { js: "const __quintetMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  metafile: true,
  write: false,
  logLevel: 'warning',
});
const localScript = local.outputFiles.find((f) => f.path.endsWith('.cjs'));
if (/\bimport\(/.test(localScript.text)) throw new Error('build-cli: the local script still has an import(), which a vm.Script cannot run');
const localName = `local-${createHash('sha256').update(localScript.contents).digest('hex').slice(0, 16)}.cjs`;

// Each file goes in whole under its final name (temp file, then rename): a quintet process starting meanwhile sees the
// old bundle or the new one, never half of one. Chunks (named by content) first, the entry, then the inputs list.
const written = new Set();
const put = (path, contents) => {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, contents);
  renameSync(temp, path);
  written.add(path);
};
const entry = join(outdir, 'quintet.mjs');
for (const file of result.outputFiles.filter((f) => f.path !== entry)) put(file.path, file.contents);
put(join(outdir, localName), localScript.contents);
put(entry, result.outputFiles.find((f) => f.path === entry).contents);
// Packages are not listed: npm ci and npm install run prepare again whenever they change.
const inputs = [...new Set([...Object.keys(result.metafile.inputs), ...Object.keys(local.metafile.inputs)])]
  .filter((p) => !p.includes('node_modules/') && !p.startsWith('not-local:'))
  .sort();
put(join(outdir, 'inputs.json'), `${JSON.stringify({ inputs: [...inputs, 'package.json'], local: localName }, null, 1)}\n`);

// Chunks of earlier builds go once they are a while old (a process started just before may still load one).
const now = Date.now();
const prune = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) prune(path);
    // The code cache of a script this build wrote stays (cli/code-cache.mjs: same name, same content).
    else if (written.has(path) || written.has(path.replace(/\.v8-cache$/, ''))) continue;
    else if (now - statSync(path).mtimeMs > 10 * 60_000) unlinkSync(path);
  }
};
prune(outdir);
console.log(`build-cli: ${relative(root, entry)} from ${inputs.length} files`);
