// ESLint (flat config): typescript-eslint's recommended rules plus tradai's layer boundaries.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

/** What src/core may not import: core is UI-free and engine-free (docs/ARCHITECTURE.md). */
const coreBoundary = {
  patterns: [
    {group: ['**/engines', '**/engines/**'], message: 'src/core may not import src/engines: depend on a port in src/core/ports instead.'},
    {group: ['**/cli', '**/cli/**'], message: 'src/core may not import src/cli (core never prints).'},
    {group: ['**/commands', '**/commands/**'], message: 'src/core may not import src/commands.'},
    {group: ['@oclif/*'], message: 'src/core may not import oclif.'},
    {group: ['chalk', 'chalk/*', 'listr2', 'listr2/*'], message: 'src/core may not import terminal UI libraries (chalk, listr2).'},
  ],
}

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', '.tradai/**', 'coverage/**', 'python/**', 'user_data/**', 'strategies/**', 'test/fixtures/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        structuredClone: 'readonly',
        NodeJS: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', caughtErrors: 'none'}],
      // `catch {}` is how this code base says "best effort": the comment beside it says why.
      'no-empty': ['error', {allowEmptyCatch: true}],
      // zod's `z` binding is its whole namespace as one value: the bundle (scripts/bundle.mjs)
      // then keeps all 64 locales (≈ 0.6 MB parsed at every start). `import * as z` shakes them.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "Write `import * as z from 'zod'`: the named `z` keeps every zod locale in the bundle.",
        },
      ],
    },
  },
  {files: ['src/core/**/*.ts'], rules: {'no-restricted-imports': ['error', coreBoundary]}},
  // Tests poke at untyped JSON documents (SARIF, --json outputs) on purpose.
  {files: ['test/**/*.ts'], rules: {'@typescript-eslint/no-explicit-any': 'off'}},
)
