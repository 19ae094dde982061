// The report page's automated accessibility check: axe-core's WCAG 2.x A and AA rules, run in
// Debian's Chromium (never a downloaded browser) through playwright-core.
//
//   node axe_check.mjs <page.html> [chromium]     -> one JSON object on stdout
//
// The page forbids every script by its Content-Security-Policy; the check injects axe with
// the CSP bypassed, which changes nothing axe looks at.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const [page_path, executable = "/usr/bin/chromium"] = process.argv.slice(2);
if (!page_path) {
  console.error("usage: node axe_check.mjs <page.html> [chromium]");
  process.exit(2);
}
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];

const browser = await chromium.launch({
  executablePath: executable,
  // This machine's network is closed: no background requests, no component updates.
  args: [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
try {
  const context = await browser.newContext({ bypassCSP: true });
  const page = await context.newPage();
  await page.goto(pathToFileURL(page_path).href, { waitUntil: "load" });
  await page.addScriptTag({ path: require.resolve("axe-core/axe.min.js") });
  const results = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
    TAGS,
  );
  const brief = (rule) => ({
    id: rule.id,
    impact: rule.impact,
    help: rule.help,
    nodes: rule.nodes.map((node) => ({ target: node.target, summary: node.failureSummary })),
  });
  console.log(
    JSON.stringify({
      axe_version: results.testEngine.version,
      browser_version: browser.version(),
      tags: TAGS,
      violations: results.violations.map(brief),
      incomplete: results.incomplete.map((rule) => rule.id),
      passes: results.passes.length,
    }),
  );
} finally {
  await browser.close();
}
