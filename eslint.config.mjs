// ESLint for the browser scripts in static/js/ (plain scripts, no bundler, no modules), run by
// `make lint` and CI. Only rules that catch real bugs in this code are on:
// - no-redeclare: a second `var` or function of the same name silently replaces the first;
// - no-use-before-define, functions included: a call that runs before the line that sets a
//   variable the function reads sees `undefined` (the run player called load() above
//   `var STALE_MS`, so a stale session was never discarded). Textual order is the only order a
//   linter can check, so every function is declared above its first use.
export default [
  {
    files: ["static/js/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script" },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      "no-redeclare": "error",
      "no-use-before-define": ["error", { functions: true, classes: true, variables: true }],
    },
  },
];
