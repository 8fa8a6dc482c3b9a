// The one script the scanner runs per page and emulation. It waits for two
// animation frames (figures read at the load event are zeros), then reads
// every DOM fact the criteria need and returns one JSON-able object.
// mode is "desktop" (everything) or "mobile" (layout facts only).
// Every list is capped so that a hostile page gives a bounded answer.
(mode) => new Promise((resolve) => {
  const MAX_LINKS = 1500, MAX_BUTTONS = 400, MAX_FORMS = 50, MAX_FIELDS = 80,
    MAX_IMAGES = 400, MAX_TARGETS = 1500, MAX_TEXT = 60000, MAX_FOOTER = 6000,
    MAX_ITEM = 300, MAX_NODES_WALKED = 200000;
  let truncated = false;
  // Folds ASCII white space only: no-break spaces are kept, since the
  // criteria must see (and normalise) them as the page wrote them.
  const fold = (s) => (s || '').replace(/[ \t\n\r\f\v]+/g, ' ').trim();
  const cap = (s, n) => { s = s || ''; if (s.length > n) { truncated = true; return s.slice(0, n); } return s; };
  const textOf = (el) => cap(fold(el.innerText !== undefined ? el.innerText : el.textContent), MAX_ITEM);
  const attr = (el, n) => { const v = el.getAttribute(n); return v === null ? '' : cap(v, MAX_ITEM); };
  const cls = (el) => (typeof el.className === 'string' ? cap(el.className, MAX_ITEM) : attr(el, 'class'));

  const region = (el) => {
    if (el.closest('footer, [role="contentinfo"]')) return 'footer';
    if (el.closest('header, [role="banner"]')) return 'header';
    if (el.closest('nav, [role="navigation"]')) return 'nav';
    if (el.closest('main, [role="main"]')) return 'main';
    return '';
  };

  // A short CSS path: an id when it is unique, else up to five steps of
  // tag.class:nth-of-type. Stable across builds that keep the structure.
  const esc = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s);
  // The index of each element among its parent's children of the same
  // type, computed once per parent: a page with 10,000 sibling links must
  // not cost 10,000 scans of its parent.
  const typeIndexes = new WeakMap();
  const typeIndex = (parent, el) => {
    let m = typeIndexes.get(parent);
    if (!m) {
      m = { index: new Map(), count: new Map() };
      for (const c of parent.children) {
        const n = (m.count.get(c.localName) || 0) + 1;
        m.count.set(c.localName, n);
        m.index.set(c, n);
      }
      typeIndexes.set(parent, m);
    }
    return [m.index.get(el) || 1, m.count.get(el.localName) || 1];
  };
  const selector = (el) => {
    const parts = [];
    let e = el;
    while (e && e.nodeType === 1 && parts.length < 5) {
      if (e.id && /^[A-Za-z][\w-]*$/.test(e.id) && document.querySelectorAll('#' + esc(e.id)).length === 1) {
        parts.unshift('#' + e.id);
        break;
      }
      let p = e.localName;
      const c = typeof e.className === 'string' ? e.className.trim().split(/\s+/).filter((x) => x && /^[A-Za-z_-][\w-]*$/.test(x)).slice(0, 2) : [];
      if (c.length) p += '.' + c.join('.');
      const parent = e.parentElement;
      if (parent) {
        const [nth, of] = typeIndex(parent, e);
        if (of > 1) p += ':nth-of-type(' + nth + ')';
      }
      parts.unshift(p);
      if (e.localName === 'body' || e.localName === 'html') break;
      e = parent;
    }
    return parts.join(' > ');
  };

  const visible = (el) => {
    if (el.checkVisibility) return el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true });
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };

  const image = (img) => ({
    src: cap(img.currentSrc || img.src || img.getAttribute('src') || '', MAX_ITEM * 2),
    alt: img.hasAttribute('alt') ? cap(img.getAttribute('alt'), MAX_ITEM) : null,
    selector: selector(img),
  });

  const labelOf = (f) => {
    const parts = [];
    if (f.labels) for (const l of f.labels) parts.push(fold(l.textContent));
    const aria = f.getAttribute('aria-label');
    if (aria) parts.push(aria);
    const by = f.getAttribute('aria-labelledby');
    if (by) for (const id of by.split(/\s+/)) { const t = document.getElementById(id); if (t) parts.push(fold(t.textContent)); }
    return cap(fold(parts.join(' ')), MAX_ITEM);
  };

  const layout = () => {
    const de = document.documentElement;
    const vp = document.querySelector('meta[name="viewport" i]');
    return {
      has_viewport: !!vp,
      viewport: vp ? cap(vp.getAttribute('content') || '', MAX_ITEM) : '',
      scroll_width: Math.max(de ? de.scrollWidth : 0, document.body ? document.body.scrollWidth : 0),
      viewport_width: window.innerWidth,
    };
  };

  // Characters of visible text by rounded computed font size.
  const textSizes = () => {
    const sizes = {};
    if (!document.body) return sizes;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Map();
    let n, walked = 0;
    while ((n = walker.nextNode())) {
      if (++walked > MAX_NODES_WALKED) { truncated = true; break; }
      const chars = n.nodeValue.replace(/\s+/g, '').length;
      if (!chars) continue;
      const p = n.parentElement;
      if (!p || /^(script|style|noscript|template)$/i.test(p.localName)) continue;
      let info = seen.get(p);
      if (info === undefined) {
        info = visible(p) ? Math.round(parseFloat(getComputedStyle(p).fontSize) || 0) : -1;
        seen.set(p, info);
      }
      if (info < 0) continue;
      sizes[info] = (sizes[info] || 0) + chars;
    }
    return sizes;
  };

  const tapTargets = () => {
    const out = [];
    const els = document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, [role="button"], [role="link"]');
    for (const el of els) {
      if (out.length >= MAX_TARGETS) { truncated = true; break; }
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      out.push({ x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height,
        text: textOf(el).slice(0, 80), selector: selector(el) });
    }
    return out;
  };

  const timings = () => {
    const nav = performance.getEntriesByType('navigation')[0];
    const fcp = performance.getEntriesByName('first-contentful-paint')[0];
    const o = window.__observatoire || {};
    return {
      ttfb_ms: nav ? Math.max(0, nav.responseStart - nav.startTime) : 0,
      fcp_ms: fcp ? fcp.startTime : 0,
      lcp_ms: o.lcp || 0,
      cls: o.cls || 0,
      dom_content_loaded_ms: nav ? Math.max(0, nav.domContentLoadedEventEnd - nav.startTime) : 0,
      load_ms: nav ? Math.max(0, nav.loadEventEnd - nav.startTime) : 0,
    };
  };

  const desktop = () => {
    const links = [];
    for (const a of document.querySelectorAll('a[href], area[href]')) {
      if (links.length >= MAX_LINKS) { truncated = true; break; }
      const imgs = Array.prototype.slice.call(a.querySelectorAll('img'), 0, 3).map(image);
      let text = textOf(a);
      if (!text) text = cap(fold(a.getAttribute('aria-label') || a.getAttribute('title') || imgs.map((i) => i.alt || '').join(' ')), MAX_ITEM);
      links.push({ text, href: cap(a.href || '', MAX_ITEM * 3), rel: attr(a, 'rel'), title: attr(a, 'title'),
        class: cls(a), region: region(a), selector: selector(a), images: imgs });
    }
    const buttons = [];
    for (const b of document.querySelectorAll('button, input[type="submit"], input[type="button"], input[type="image"], [role="button"]')) {
      if (buttons.length >= MAX_BUTTONS) { truncated = true; break; }
      const text = textOf(b) || cap(fold(b.value || b.getAttribute('aria-label') || b.getAttribute('title') || b.getAttribute('alt') || ''), MAX_ITEM);
      const form = b.form || b.closest('form');
      buttons.push({ text, type: attr(b, 'type'), class: cls(b), region: region(b), selector: selector(b),
        form_action: form ? cap(form.action || '', MAX_ITEM * 3) : '',
        parent_class: b.parentElement ? cls(b.parentElement) : '' });
    }
    const forms = [];
    for (const f of document.querySelectorAll('form')) {
      if (forms.length >= MAX_FORMS) { truncated = true; break; }
      const fields = [];
      for (const el of f.querySelectorAll('input, select, textarea')) {
        if (fields.length >= MAX_FIELDS) { truncated = true; break; }
        const type = el.localName === 'input' ? (el.getAttribute('type') || 'text').toLowerCase() : '';
        if (type === 'hidden' || type === 'submit' || type === 'button' || type === 'image' || type === 'reset') continue;
        fields.push({ tag: el.localName, type, name: attr(el, 'name'), id: attr(el, 'id'), label: labelOf(el),
          placeholder: attr(el, 'placeholder'), autocomplete: attr(el, 'autocomplete'), selector: selector(el) });
      }
      forms.push({ action: cap(f.action || '', MAX_ITEM * 3), method: (f.getAttribute('method') || 'get').toLowerCase(),
        role: attr(f, 'role') || (f.closest('[role="search"]') ? 'search' : ''), selector: selector(f), fields });
    }
    const images = [];
    for (const img of document.querySelectorAll('img')) {
      if (images.length >= MAX_IMAGES) { truncated = true; break; }
      images.push(image(img));
    }
    const iframes = Array.prototype.slice.call(document.querySelectorAll('iframe'), 0, 50)
      .map((f) => ({ src: cap(f.src || '', MAX_ITEM * 2), title: attr(f, 'title') }));
    const scripts = Array.prototype.slice.call(document.querySelectorAll('script[src]'), 0, 100)
      .map((s) => cap(s.src, MAX_ITEM * 2));
    const footers = document.querySelectorAll('footer, [role="contentinfo"]');
    let footer = '';
    for (const f of footers) footer += ' ' + fold(f.innerText);
    return {
      title: cap(fold(document.title), MAX_ITEM),
      lang: document.documentElement ? attr(document.documentElement, 'lang') : '',
      elements: document.getElementsByTagName('*').length,
      links, buttons, forms, images, iframes, scripts,
      footer_text: cap(fold(footer), MAX_FOOTER),
      text: cap(fold(document.body ? document.body.innerText : ''), MAX_TEXT),
    };
  };

  const collect = () => {
    let facts;
    try {
      facts = mode === 'mobile' ? { tap_targets: tapTargets() } : desktop();
      Object.assign(facts, layout());
      facts.text_sizes = textSizes();
      facts.truncated = truncated;
      resolve({ facts, timings: timings() });
    } catch (e) {
      resolve({ error: String(e && e.stack || e) });
    }
  };
  // Two frames: layout and paint of the current state are done. Then the
  // paint timing entry, which headless Chromium reports a little after the
  // frame (presentation feedback): wait for it up to 1.5 s when the page
  // has something to paint. A page with no frames (hidden) must not hang
  // us: a timer ends the wait whatever happens.
  let done = false;
  const once = () => { if (!done) { done = true; collect(); } };
  const painted = () => performance.getEntriesByName('first-contentful-paint').length > 0 ||
    !(document.body && document.body.innerText && document.body.innerText.trim());
  requestAnimationFrame(() => requestAnimationFrame(() => {
    if (painted()) return once();
    const t0 = performance.now();
    const poll = () => (painted() || performance.now() - t0 > 1500 ? once() : setTimeout(poll, 25));
    poll();
  }));
  setTimeout(once, 2500);
})
