// Vite serves the demo (demo/) in development (`npm start` mounts it as middleware on the
// reference server) and builds a static copy of it (`npm run build:demo` → dist/demo).
// The library bundles are built by scripts/build.mjs with esbuild.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./demo/', import.meta.url)),
  base: './',
  appType: 'mpa',
  server: { fs: { allow: [fileURLToPath(new URL('.', import.meta.url))] } },
  esbuild: { tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } },
  build: {
    outDir: fileURLToPath(new URL('./dist/demo/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
  },
});
