// Vite serves the demo (demo/) in development (`npm start` mounts it as middleware on the
// reference server, src/server/demo.ts) and builds a static copy of it (`npm run build:demo`
// → dist/demo; see demo/endpoint.ts for pointing that copy at a server). The library
// bundles are built by scripts/build.mjs with esbuild.
//
// TypeScript is compiled by Vite's Oxc transform, which takes the decorator settings
// (experimentalDecorators, useDefineForClassFields: false) from tsconfig.json.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const repo = fileURLToPath(new URL('.', import.meta.url));
const demo = fileURLToPath(new URL('./demo/', import.meta.url));
const sources = fileURLToPath(new URL('./src/', import.meta.url));

export default defineConfig({
  root: demo,
  base: './',
  appType: 'mpa',
  // The demo imports the widgets' sources and custom-elements.json from the repository.
  server: { fs: { allow: [repo] } },
  plugins: [
    {
      // package.json's "sideEffects" describes the built files under dist/, so a bundler
      // would drop the demo's `import '../src/index.js'`: the sources define the elements.
      name: 'storefront-reviews:sources-have-side-effects',
      transform(code, id) {
        return id.startsWith(sources) ? { code, map: null, moduleSideEffects: true } : undefined;
      },
    },
  ],
  build: {
    outDir: fileURLToPath(new URL('./dist/demo/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: {
        index: `${demo}index.html`,
        'review-request': `${demo}review-request.html`,
      },
      // Both pages share the widgets (and Lit, zod): one chunk with a telling name.
      output: { codeSplitting: { groups: [{ name: 'widgets', test: /[\\/](src|node_modules)[\\/]/ }] } },
    },
  },
});
