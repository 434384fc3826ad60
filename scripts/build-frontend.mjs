// Compiles the service stylesheet and copies GOV.UK Frontend's script and assets into static/.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "static", "build");

mkdirSync(join(out, "css"), { recursive: true });
const result = sass.compile(join(root, "static", "scss", "app.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "css", "app.css"), result.css);

mkdirSync(join(root, "static", "govuk-frontend"), { recursive: true });
cpSync(join(govuk, "govuk-frontend.min.js"), join(root, "static", "govuk-frontend", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets"), join(root, "static", "govuk-frontend", "assets"), { recursive: true });
console.log("Built static/build/css/app.css and copied GOV.UK Frontend assets.");
