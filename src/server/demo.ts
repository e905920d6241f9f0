/**
 * Serves the demo page (demo/) through Vite in middleware mode, so the widgets' TypeScript
 * sources load in the browser without a build step. Development only: Vite is a
 * devDependency.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

export async function demoMiddleware(): Promise<{
  handle: (req: IncomingMessage, res: ServerResponse, next: () => void) => void;
  close: () => Promise<void>;
}> {
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    throw new Error('--demo needs the dev dependencies (vite): run "npm install" in the storefront-reviews checkout');
  }
  const root = fileURLToPath(new URL('../../demo/', import.meta.url));
  const repo = fileURLToPath(new URL('../../', import.meta.url));
  const server = await vite.createServer({
    root,
    configFile: false,
    appType: 'mpa',
    logLevel: 'warn',
    server: { middlewareMode: true, hmr: false, fs: { allow: [repo] } },
    esbuild: { tsconfigRaw: { compilerOptions: { experimentalDecorators: true, useDefineForClassFields: false } } },
  });
  return {
    handle: (req, res, next) => server.middlewares(req, res, next),
    close: () => server.close(),
  };
}
