// Lint rules: type-checked TypeScript, the house limits on complexity, and the layering rules
// (suites use the harness facade and an allowlist of lib modules; reports are pure; lib never imports suites).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The lib modules a suite may import besides lib/suite.ts (paths under lib/): the ones suites import today.
 * Everything else in lib/ is the harness's own; a module is added here on purpose, or reached through lib/suite.ts.
 */
const SUITE_LIB_ALLOWLIST = [
  'browser/launch.ts',
  'browser/pod-identity.ts',
  'browser/session-records.ts',

  'browser/sessions.ts',
  'browser/web-session.ts',
  'drivers/mip-conditions.ts',
  'drivers/mip.ts',
  'drivers/openms-conditions.ts',
  'drivers/openms.ts',
  'drivers/rq-job-outcome.ts',
  'drivers/rq-timings.ts',
  'drivers/rq-workers.ts',
  'drivers/workflow-verdict.ts',
  'exaflow/experiment.ts',
  'exaflow/landscape.ts',
  'exaflow/placement.ts',
  'exaflow/stats.ts',
  'k8s/conditions.ts',
  'k8s/cronjobs.ts',
  'k8s/objects.ts',
  'k8s/transient.ts',
  'load/gateway.ts',
  'load/k6.ts',
  'paths.ts',
  'recovery/node-fault.ts',
  'recovery/observer.ts',
  'recovery/phases.ts',
  'recovery/probe-mip.ts',
  'recovery/probe-openms.ts',
  'recovery/probe.ts',
  'recovery/scenarios.ts',
  'recovery/service.ts',
  'recovery/settings.ts',
  'recovery/tolerations.ts',
  'report/events.ts',
  'wait.ts',
];

// Import patterns (gitignore-style, matched against the import as written, so relative paths match too).
const libNeverImportsSuites = { group: ['**/suites/**'], message: 'Layering: lib never imports suites.' };
const libHasNoSuiteCode = {
  group: ['chai', '**/suite.ts'],
  message: 'Layering: checks and verdicts belong to suites/; lib never imports chai or the suite facade (the runner aside).',
};
const onlyWaitRetries = { group: ['p-retry'], message: 'Layering: only lib/wait.ts waits and retries.' };
const reportsArePure = {
  group: ['@kubernetes/client-node', 'node:child_process', 'child_process', '**/exec.ts', '**/k8s/**', '**/cluster/**', '**/stack/**'],
  message: 'Layering: reports are pure functions of the event stream (no Kubernetes client, programs, cluster or stack code).',
};
const suitesUseTheHarness = {
  group: ['@kubernetes/client-node', 'p-retry', 'node:child_process', 'child_process'],
  message: 'Layering: suites use the harness facade (lib/suite.ts), not the Kubernetes client, retries or programs.',
};
const suitesUseOnlyAllowedLib = {
  // Files, not folders: a negation cannot bring back a file whose folder is already excluded.
  group: ['**/lib/**/*.ts', '**/lib/**/*.js', '!**/lib/suite.ts', ...SUITE_LIB_ALLOWLIST.map((module) => `!**/lib/${module}`)],
  message: 'Layering: suites import from lib/ only lib/suite.ts and the modules in SUITE_LIB_ALLOWLIST (eslint.config.mjs).',
};

/** The one no-restricted-imports entry of a file group. */
function restrictImports(...patterns) {
  return { 'no-restricted-imports': ['error', { patterns }] };
}

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
    // House limits: files under about 200 lines, functions under about 40. Tests and specs are exempt:
    // their describe callbacks are long by nature.
    files: ['lib/**/*.ts', 'suites/**/*.ts'],
    ignores: ['**/*.test.ts', '**/*.spec.ts'],
    rules: {
      'max-lines': ['error', { max: 200, skipBlankLines: true, skipComments: true }],
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['lib/**/*.test.ts', 'e2e/**/*.ts', 'suites/**/*.ts'],
    rules: {
      // chai's `expect(x).to.be.true` style reads as an unused expression
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  // Layering: every file group below gets exactly one no-restricted-imports entry holding all the
  // patterns that apply to it (in a flat config the last matching block's options replace earlier ones).
  {
    files: ['lib/**/*.ts'],
    ignores: ['lib/wait.ts', 'lib/report/**', 'lib/**/*.test.ts', 'lib/suite.ts', 'lib/run/mocha-runner.ts'],
    rules: restrictImports(libNeverImportsSuites, onlyWaitRetries, libHasNoSuiteCode),
  },
  { files: ['lib/wait.ts'], rules: restrictImports(libNeverImportsSuites) },
  {
    files: ['lib/**/*.test.ts', 'lib/suite.ts', 'lib/run/mocha-runner.ts'],
    ignores: ['lib/report/**'],
    rules: restrictImports(libNeverImportsSuites, onlyWaitRetries),
  },
  {
    files: ['lib/report/**/*.ts'],
    ignores: ['lib/report/**/*.test.ts'],
    rules: restrictImports(libNeverImportsSuites, onlyWaitRetries, reportsArePure, libHasNoSuiteCode),
  },
  { files: ['lib/report/**/*.test.ts'], rules: restrictImports(libNeverImportsSuites, onlyWaitRetries, reportsArePure) },
  // A suite's unit tests build fakes of the objects its checks read, so they may name client types.
  { files: ['suites/**/*.ts'], ignores: ['suites/**/*.test.ts'], rules: restrictImports(suitesUseTheHarness, suitesUseOnlyAllowedLib) },
);
