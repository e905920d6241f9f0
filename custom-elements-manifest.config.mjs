// `npm run analyze` (cem analyze --litelement): writes custom-elements.json from the
// elements' JSDoc. The file is committed and referenced by package.json's
// "customElements"; test/build/manifest.test.mjs fails when it is stale or when an
// element's public API lacks docs, and scripts/readme-table.mjs turns it into the
// README's element reference.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Our elements register through `define(tag, Class)` (src/shared/define.ts, a guarded
 * `customElements.define`), which the analyzer does not know: record each such call as a
 * custom-element definition, as it does for `customElements.define(tag, Class)`.
 */
function guardedDefineCalls() {
  return {
    name: 'storefront-reviews: define(tag, Class)',
    analyzePhase({ ts, node, moduleDoc }) {
      if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'define') return;
      const [tag, klass] = node.arguments;
      if (!tag || !klass || !ts.isStringLiteral(tag) || !ts.isIdentifier(klass)) return;
      moduleDoc.exports = [
        ...(moduleDoc.exports ?? []),
        { kind: 'custom-element-definition', name: tag.text, declaration: { name: klass.text, module: moduleDoc.path } },
      ];
    },
  };
}

/**
 * Members that are not part of an element's documented API: private and protected ones
 * (they change with the implementation), and what the platform reads (`formAssociated`,
 * `shadowRootOptions`) or calls (the form-associated callbacks), public only because the
 * platform requires it.
 */
const PLATFORM_MEMBERS = new Set([
  'formAssociated',
  'shadowRootOptions',
  'formAssociatedCallback',
  'formResetCallback',
  'formStateRestoreCallback',
  'formDisabledCallback',
]);

function hidePlatformMembers() {
  return {
    name: 'storefront-reviews: hide platform members',
    moduleLinkPhase({ moduleDoc }) {
      for (const declaration of moduleDoc.declarations ?? []) {
        if (declaration.kind === 'class' && declaration.members) {
          declaration.members = declaration.members.filter(
            (m) => !PLATFORM_MEMBERS.has(m.name) && (!m.privacy || m.privacy === 'public'),
          );
        }
      }
    },
  };
}

/**
 * Keeps only what a module exports. (The analyzer also lists some variables declared
 * inside methods, e.g. `const done = { review, published }`, as module declarations.)
 */
function exportedOnly() {
  return {
    name: 'storefront-reviews: exported declarations only',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        const exported = new Set((mod.exports ?? []).map((e) => e.declaration?.name ?? e.name));
        mod.declarations = (mod.declarations ?? []).filter((d) => exported.has(d.name));
      }
    },
  };
}

/**
 * Module paths as the package ships them (`dist/esm/elements/.../x.js`, what an import
 * loads; src/ is not published) rather than the analyzed TypeScript sources.
 */
function publishedPaths() {
  const published = (path) => path?.replace(/^src\//, 'dist/esm/').replace(/\.ts$/, '.js');
  return {
    name: 'storefront-reviews: published paths',
    packageLinkPhase({ customElementsManifest }) {
      // The analyzer lists files in the order the file system returns them: sort them.
      customElementsManifest.modules.sort((a, b) => a.path.localeCompare(b.path));
      for (const mod of customElementsManifest.modules) {
        mod.path = published(mod.path);
        for (const e of mod.exports ?? []) if (e.declaration?.module) e.declaration.module = published(e.declaration.module);
        for (const d of mod.declarations ?? []) {
          for (const list of [d.members, d.attributes, d.events]) {
            for (const item of list ?? []) if (item.inheritedFrom?.module) item.inheritedFrom.module = published(item.inheritedFrom.module);
          }
        }
      }
    },
  };
}

/**
 * Types named by an alias of string literals (`ReviewSort`, `AuthorDisplay`) are written
 * out (`'newest' | 'oldest' | ...`), so tools that read the manifest (the demo's controls,
 * editors) know the allowed values.
 */
function expandLiteralAliases() {
  const aliases = new Map();
  const visit = (ts, node) => {
    if (ts.isTypeAliasDeclaration(node) && ts.isUnionTypeNode(node.type)) {
      const literals = node.type.types.every((t) => ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal));
      if (literals) aliases.set(node.name.text, node.type.types.map((t) => `'${t.literal.text}'`).join(' | '));
    }
  };
  const expand = (type) => {
    if (!type?.text) return;
    const text = type.text.replace(/\b[A-Z]\w*\b/g, (name) => aliases.get(name) ?? name);
    if (text !== type.text) type.text = text;
  };
  return {
    name: 'storefront-reviews: expand literal aliases',
    initialize({ ts }) {
      for (const file of readdirSync('src', { recursive: true })) {
        if (!/\.ts$/.test(file) || /\.(test|d)\.ts$/.test(file)) continue;
        const source = ts.createSourceFile(file, readFileSync(join('src', file), 'utf8'), ts.ScriptTarget.Latest, true);
        ts.forEachChild(source, (node) => visit(ts, node));
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const d of mod.declarations ?? []) {
          for (const item of [...(d.members ?? []), ...(d.attributes ?? [])]) expand(item.type);
        }
      }
    },
  };
}

export default {
  globs: ['src/elements/**/*.ts'],
  exclude: ['src/elements/**/*.styles.ts', '**/*.test.ts'],
  outdir: '.',
  litelement: true,
  packagejson: false,
  plugins: [guardedDefineCalls(), hidePlatformMembers(), exportedOnly(), expandLiteralAliases(), publishedPaths()],
};
