// Installed before any page script (Page.addScriptToEvaluateOnNewDocument):
// LCP and layout shifts are only reported to observers, so one must listen
// from the start. facts.js reads the totals.
(() => {
  const w = window;
  if (w.__observatoire) return;
  const o = (w.__observatoire = { lcp: 0, cls: 0 });
  try {
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) o.lcp = Math.max(o.lcp, e.renderTime || e.loadTime || e.startTime);
    }).observe({ type: 'largest-contentful-paint', buffered: true });
    new PerformanceObserver((l) => {
      for (const e of l.getEntries()) if (!e.hadRecentInput) o.cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  } catch (e) {
    // Old engines: the figures stay 0 (not measured).
  }
})();
