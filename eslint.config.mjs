import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import prettier from 'eslint-config-prettier';

// Layering (DESIGN.md): common ← plan ← {sql, optimizer} ← engine; connectors on common+plan;
// catalog on common; protocol on common+plan; reflections on common+plan+sql+optimizer+catalog;
// only apps wire processes together.
const layers = [
  { sourceTag: 'type:common', onlyDependOnLibsWithTags: ['type:common'] },
  { sourceTag: 'type:plan', onlyDependOnLibsWithTags: ['type:common'] },
  { sourceTag: 'type:sql', onlyDependOnLibsWithTags: ['type:common', 'type:plan'] },
  { sourceTag: 'type:optimizer', onlyDependOnLibsWithTags: ['type:common', 'type:plan'] },
  { sourceTag: 'type:connectors', onlyDependOnLibsWithTags: ['type:common', 'type:plan'] },
  { sourceTag: 'type:catalog', onlyDependOnLibsWithTags: ['type:common'] },
  // The TPC-H generator and query texts: a tool for tests, benchmarks and the demo source.
  { sourceTag: 'type:tpch', onlyDependOnLibsWithTags: ['type:common'] },
  { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:common', 'type:plan'] },
  {
    sourceTag: 'type:reflections',
    onlyDependOnLibsWithTags: ['type:common', 'type:plan', 'type:sql', 'type:optimizer', 'type:catalog'],
  },
  {
    sourceTag: 'type:engine',
    onlyDependOnLibsWithTags: [
      'type:common',
      'type:plan',
      'type:sql',
      'type:optimizer',
      'type:connectors',
      'type:protocol',
    ],
  },
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: [
      'type:common',
      'type:plan',
      'type:sql',
      'type:optimizer',
      'type:engine',
      'type:connectors',
      'type:catalog',
      'type:protocol',
      'type:reflections',
      'type:tpch',
    ],
  },
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.tributary/**', '.nx/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { allow: [], depConstraints: layers }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-throw-literal': 'error',
      'no-new-func': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
