// ESLint: typescript-eslint's type-checked rules over all our TypeScript, and the rules of hooks over the web app.
// Run by `npm run lint` and by `npm test` (test/structure/lint.test.ts). Every rule switched off or softened here, or
// on one line with `// eslint-disable-next-line <rule> -- <why>`, says why.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'data/',
      'dist/',
      'web/dist/',
      'test-artifacts/',
      // Type-checked only inside test/api/openapi-client.test.ts, against client types generated there in memory
      // (the folder is excluded from tsconfig.json, so the type-checked rules have no project for it).
      'test/api/openapi-client/',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with its nearest tsconfig.json: web/tsconfig.json for web/, the root one elsewhere.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed names are parameters a signature needs but the body does not use (and rest siblings that drop
      // a key from an object).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `async` marks a function that keeps a promise-returning contract (Fastify handlers and hooks, Kysely's driver
      // interface, callbacks the caller awaits) even when its body has nothing to await; dropping `async` would turn
      // a thrown error from a rejected promise into a synchronous throw, which changes behaviour.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Tests read responses as untyped JSON (Fastify's `inject().json()`, `fetch().json()`, `JSON.parse`) and check
    // their shape with `expect`; typing every response again would only repeat the API's own schemas.
    files: ['test/**', '**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['src/**', 'test/**', 'bench/**', 'scripts/**', '*.config.{js,ts}', 'web/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['web/src/**', 'web/harness/**'],
    languageOptions: { globals: globals.browser },
    extends: [reactHooks.configs.flat.recommended],
  },
  {
    // This file and the other plain-JavaScript configs are in no tsconfig: lint them without type information.
    files: ['**/*.{js,cjs,mjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
);
