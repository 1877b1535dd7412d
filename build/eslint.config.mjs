// ESLint for ocfkit: the recommended rules of ESLint and typescript-eslint, nothing stylistic
// (Prettier owns layout). Run by `npm test` and `npm run lint`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'build/node-arm64/**', 'test/lab/cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        require: 'readonly',
        module: 'writable',
        NodeJS: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextDecoder: 'readonly',
        TextEncoder: 'readonly',
        structuredClone: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        queueMicrotask: 'readonly',
        globalThis: 'readonly',
      },
    },
    rules: {
      // an unused binding is either dead code or a name kept for the reader: the latter starts with _
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // node:crypto and test helpers are loaded with require() on purpose: the single executable
      // has no dynamic-import hook for built-ins, and require keeps the load on the path that needs it
      '@typescript-eslint/no-require-imports': 'off',
      // parsers of tool output and checks that refuse control characters match them on purpose
      'no-control-regex': 'off',
      // patterns copied from aligned tool output read better with the spaces as printed
      'no-regex-spaces': 'off',
    },
  },
);
