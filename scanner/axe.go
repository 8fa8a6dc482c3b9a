package scanner

import (
	_ "embed"
	"strings"
)

// axe-core is embedded unmodified from the npm package named in
// axe/VERSION (licence MPL-2.0, axe/LICENSE). `make axe` fetches it again
// and checks its integrity.

//go:embed axe/axe.min.js
var axeSource string

//go:embed axe/VERSION
var axeVersionFile string

// AxeVersion is the version of the embedded axe-core.
var AxeVersion = strings.TrimSpace(axeVersionFile)

//go:embed js/facts.js
var factsJS string

//go:embed js/observe.js
var observeJS string

// axeRunJS runs the RGAAv4-tagged rules and returns a compact result:
// violations only in detail, nodes and snippets capped. Each node has its
// ancestry (tags from the root), which the CI gate uses to know an element
// again when axe's own selector for it changes. frameWaitTime is low
// so that a page full of slow iframes cannot hold axe for long.
const axeRunJS = `(async () => {
  const r = await axe.run(document, {
    runOnly: { type: 'tag', values: ['RGAAv4'] },
    resultTypes: ['violations'],
    frameWaitTime: 500,
    performanceTimer: false,
    xpath: false,
    ancestry: true,
  });
  const MAX_NODES = 25, MAX_HTML = 400;
  const rgaa = (tags) => tags.filter((t) => /^RGAA-/.test(t));
  return {
    version: axe.version,
    rules: r.violations.length + r.passes.length + r.incomplete.length + r.inapplicable.length,
    passes: r.passes.length,
    incomplete: r.incomplete.map((v) => v.id),
    violations: r.violations.map((v) => ({
      rule: v.id, impact: v.impact || '', help: v.help, help_url: v.helpUrl, rgaa: rgaa(v.tags),
      more: Math.max(0, v.nodes.length - MAX_NODES),
      nodes: v.nodes.slice(0, MAX_NODES).map((n) => ({
        selector: n.target.map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(' | '),
        html: n.html.length > MAX_HTML ? n.html.slice(0, MAX_HTML) + '…' : n.html,
        summary: (n.failureSummary || '').slice(0, 600),
        ancestry: (n.ancestry || []).map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(' >>> ').slice(0, 1000),
      })),
    })),
  };
})()`
