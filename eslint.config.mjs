// ESLint flat config (issue 8): typescript-eslint's type-checked rules, Prettier for layout, and the
// layers of docs/architecture.md as import boundaries. `npm run lint` runs it with `prettier --check`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [...new Set(builtinModules.map((name) => name.replace(/^node:/, '')))];

/** I/O packages: a workflow reaches the world only through activities (it must stay deterministic). */
const IO_PACKAGES = ['express', 'knex', 'pg', 'puppeteer', 'nodemailer', 'pino', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'];

/** Development code (DESIGN principle 5): simulators, demo data, the mail sink, embedded services. */
const DEV_CODE = {
  group: ['**/simulators', '**/simulators/**', '**/platform/dev', '**/platform/dev/**'],
  message: 'Production code never imports development code (simulators/, platform/dev/); the composition root picks them for dev and tests.',
};

/** The same, seen from inside platform/: its own dev/ folder. */
const PLATFORM_DEV = {
  group: ['./dev', './dev/**', '../dev', '../dev/**'],
  message: 'platform/ production modules never import platform/dev/ (embedded PostgreSQL, Temporal CLI build, Chromium install).',
};

const WEB_PATHS = ['knex', 'pg'].map((name) => ({ name, message: 'web/ never touches the database: call an api/<area> service.' }));
const WEB = [
  { group: ['knex/**', 'pg/**'], message: 'web/ never touches the database: call an api/<area> service.' },
  { group: ['@temporalio/*'], message: 'web/ never talks to Temporal: call an api/<area> service.' },
  { group: ['**/integrations', '**/integrations/**'], message: 'web/ never calls an adapter: call an api/<area> service.' },
  { group: ['**/platform/db', '**/platform/db/**'], message: 'web/ never touches the database: call an api/<area> service.' },
  // A regex, since a gitignore pattern cannot re-include a file below an excluded folder.
  { regex: '(^|/)workflows($|/(?![^/]+/messages$))', message: 'web/ may only import the types of workflows/<area>/messages.' },
  { group: ['**/workflows/*/messages'], allowTypeImports: true, message: 'web/ may import workflows/<area>/messages for its types only (import type).' },
];

const API = [{ group: ['**/web', '**/web/**'], message: 'api/ never imports web/: the composition root in platform/ mounts both.' }];

const NO_BUILTINS = 'Workflow code runs in a deterministic sandbox: no Node built-ins (use an activity).';
const NO_IO = 'Workflow code does no I/O: use an activity (or @temporalio/workflow).';
const WORKFLOWS = {
  // Exact names: as a pattern, a bare name like 'domain' (a Node built-in) would match any path segment.
  paths: [...NODE_BUILTINS.map((name) => ({ name, message: NO_BUILTINS })), ...IO_PACKAGES.map((name) => ({ name, message: NO_IO }))],
  patterns: [
    { group: ['node:*'], message: NO_BUILTINS },
    // A pattern with an inner slash is anchored at the start: 'pg/**' matches 'pg/lib/x', not '../pg/x'.
    { group: [...NODE_BUILTINS, ...IO_PACKAGES].map((name) => `${name}/**`), message: NO_IO },
  ],
};

/** domain/ is plain functions over plain data: it imports only domain/ and zod (it bundles into workflows). */
function domainOnly(depth) {
  const up = '\\.\\./'.repeat(depth);
  return [
    { regex: '^(?!zod$|zod/|\\.\\.?/)', message: 'domain/ imports only domain/ and zod.' },
    { regex: `^${up}(?!domain/)`, message: 'domain/ imports only domain/ and zod.' },
  ];
}

/** One entry per file set, because a later config replaces (does not merge) an earlier rule's options. */
function restrictImports(files, patterns, paths = []) {
  return { files, rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] } };
}

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', '.data/', '.test-data/', '.bench-data/', 'bench/results/', 'test/screenshots/', '**/*.hbs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-non-null-assertion': 'warn',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // A `let` read by a closure set up before its one assignment (a stop handler, say) stays a `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-console': 'off',
    },
  },
  {
    // Express 5 awaits async handlers and middleware; passing them where a void callback is typed is intended.
    files: ['api/**', 'web/**', 'platform/**', 'simulators/**', 'bin/**'],
    rules: { '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }] },
  },

  // Layer boundaries (DESIGN principle 3 and 5); the production folders also keep out development code.
  restrictImports(['web/**/*.ts'], [...WEB, DEV_CODE], WEB_PATHS),
  restrictImports(['api/**/*.ts'], [...API, DEV_CODE]),
  restrictImports(['workflows/**/*.ts'], [...WORKFLOWS.patterns, DEV_CODE], WORKFLOWS.paths),
  restrictImports(['domain/*.ts'], domainOnly(1)),
  restrictImports(['domain/*/*.ts'], domainOnly(2)),
  restrictImports(['domain/*/*/*.ts'], domainOnly(3)),
  restrictImports(['activities/**/*.ts', 'documents/**/*.ts', 'integrations/**/*.ts', 'locales/**/*.ts'], [DEV_CODE]),
  restrictImports(['platform/**/*.ts'], [DEV_CODE, PLATFORM_DEV]),
  { files: ['platform/dev/**/*.ts'], rules: { '@typescript-eslint/no-restricted-imports': 'off' } },

  {
    // Tests and benchmarks drive real parts and poke at loosely typed answers (JSON bodies, HTML).
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // JavaScript files are not part of the TypeScript project: no type information for them.
    files: ['**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Browser JavaScript served as is (progressive enhancement).
    files: ['web/static/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  { files: ['**/*.cjs'], languageOptions: { sourceType: 'commonjs' } },
  prettier,
);
