/**
 * Serves the demo (demo/) through Vite in middleware mode, so the widgets' TypeScript
 * sources load in the browser without a build step. Uses the repository's vite.config.ts,
 * which `npm run build:demo` builds the static copy with. Development only: Vite is a
 * devDependency.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';

/** The demo's request handler (call `next()` for anything it does not serve) and its shutdown. */
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
  const server = await vite.createServer({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'warn',
    // No hot reload: no WebSocket server (which would claim a port of its own) and no
    // client script in the page trying to reach one. Reload the page to see changes.
    server: { middlewareMode: true, hmr: false, ws: false },
    plugins: [
      {
        name: 'storefront-reviews:no-hmr-client',
        transformIndexHtml: {
          order: 'post',
          handler: (html) => html.replace(/<script type="module" src="[^"]*\/@vite\/client"><\/script>\s*/, ''),
        },
      },
    ],
  });
  return {
    handle: (req, res, next) => server.middlewares(req, res, next),
    close: () => server.close(),
  };
}
