// Lint rules: type-checked TypeScript, the house limits on complexity, and the layering rules
// (suites use only the harness facade; reports never touch the Kubernetes client; lib never imports suites).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'reports/**', 'bin/**', 'fixtures/**/*.js', 'fixtures/bin/**', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      complexity: ['error', 12],
      'max-depth': ['error', 3],
      'max-params': ['error', 4],
    },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/**/*.test.ts'],
    rules: { '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }] },
  },
  {
    files: ['lib/**/*.test.ts', 'e2e/**/*.ts', 'suites/**/*.ts'],
    rules: {
      // chai's `expect(x).to.be.true` style reads as an unused expression
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['suites/**/*.ts'],
    ignores: ['suites/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@kubernetes/client-node', 'p-retry', 'node:child_process'],
              message: 'Suites use the harness facade (lib/suite.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['lib/report/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@kubernetes/client-node'], message: 'Reports are pure functions of the event stream.' }] },
      ],
    },
  },
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/wait.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/suites/**'], message: 'lib never imports suites.' },
            { group: ['p-retry'], message: 'Only lib/wait.ts waits and retries.' },
          ],
        },
      ],
    },
  },
);
