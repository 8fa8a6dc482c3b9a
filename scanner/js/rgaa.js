// The observatory's own RGAA tests, run in the page beside axe-core
// (scanner/rgaa.go drives them; docs/method.md, "Nos tests RGAA", says what
// each one measures). One function, called with an operation:
//   "prepare"  records how every focusable element looks unfocused, puts the
//              sequential focus starting point at the top of the document;
//   "step"     describes the element a real Tab press just focused;
//   "restart"  puts the starting point at the top again (for the skip link);
//   "focused"  whether the element of a selector has focus;
//   "skip"     after Enter on the skip link and one more Tab: where focus went;
//   "spacing"  injects the WCAG 1.4.12 text spacing, finds newly clipped text;
//   "reflow"   in the 320 px viewport, finds what overflows horizontally;
//   "end"      removes what "prepare" added, blurs, scrolls back to the top.
// State between calls lives on window under a private key; scanner/rgaa.go
// installs the function once as window.__observatoireRGAAfn.
(op, arg) => {
  const KEY = '__observatoireRGAA';
  const MAX_HTML = 400, MAX_FOCUSABLE = 400, MAX_CLIP = 3000, MAX_NODES = 25;
  const st = window[KEY] || (window[KEY] = {});
  const esc = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s);
  const selector = (el) => {
    const parts = [];
    let e = el;
    while (e && e.nodeType === 1 && parts.length < 6) {
      if (e.id && /^[A-Za-z][\w-]*$/.test(e.id) && document.querySelectorAll('#' + esc(e.id)).length === 1) {
        parts.unshift('#' + e.id);
        break;
      }
      let p = e.localName;
      const parent = e.parentElement;
      if (parent) {
        const same = Array.prototype.filter.call(parent.children, (c) => c.localName === e.localName);
        if (same.length > 1) p += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
      }
      parts.unshift(p);
      if (e.localName === 'body' || e.localName === 'html') break;
      e = parent;
    }
    return parts.join(' > ');
  };
  const html = (el) => {
    const h = el.outerHTML || '';
    const open = h.slice(0, h.indexOf('>') + 1) || h;
    const inner = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 80);
    const s = open + (inner ? inner + '…' : '');
    return s.length > MAX_HTML ? s.slice(0, MAX_HTML) + '…' : s;
  };
  const node = (el, summary) => ({ selector: selector(el), html: html(el), summary: summary || '' });
  const deepActive = () => {
    let a = document.activeElement;
    while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
    return a;
  };
  const visibleBox = (el) => {
    const r = el.getBoundingClientRect();
    const cs = getComputedStyle(el);
    return r.width >= 1 && r.height >= 1 && cs.visibility !== 'hidden' && parseFloat(cs.opacity) > 0.05 &&
      !/rect\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\)/.test(cs.clip) && !/inset\(50%\)/.test(cs.clipPath);
  };
  // Placed where it can be seen once scrolled to: not pushed off the sides
  // or above the top of the document.
  const placed = (el) => {
    const r = el.getBoundingClientRect();
    return r.right > 0 && r.left < innerWidth && r.bottom + scrollY > 0;
  };
  const inViewport = (el) => {
    const r = el.getBoundingClientRect();
    return r.right > 0 && r.bottom > 0 && r.left < innerWidth && r.top < innerHeight;
  };

  // What a focus indicator can change. Invisible values are folded so that
  // a change between two of them is not taken for a visible change.
  const PROPS = ['box-shadow', 'background-color', 'background-image', 'color',
    'text-decoration-line', 'text-decoration-color', 'text-decoration-thickness', 'text-underline-offset',
    'opacity', 'transform', 'filter', 'font-weight', 'visibility', 'fill', 'stroke', 'width', 'height', 'content'];
  const look = (el, pseudo) => {
    const cs = getComputedStyle(el, pseudo);
    if (pseudo && (cs.content === 'none' || cs.content === 'normal' || cs.display === 'none')) return '';
    const out = [];
    const ow = parseFloat(cs.outlineWidth);
    out.push(cs.outlineStyle === 'none' || !(ow > 0) ? 'outline:none' : 'outline:' + cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor + ' ' + cs.outlineOffset);
    for (const side of ['top', 'right', 'bottom', 'left']) {
      const s = cs.getPropertyValue('border-' + side + '-style'), w = parseFloat(cs.getPropertyValue('border-' + side + '-width'));
      out.push(s === 'none' || s === 'hidden' || !(w > 0) ? 'b:none' : 'b:' + s + w + cs.getPropertyValue('border-' + side + '-color'));
    }
    for (const p of PROPS) out.push(cs.getPropertyValue(p));
    return out.join('|');
  };
  // The elements whose rendering can show that el has focus: itself, three
  // ancestors (:focus-within), its first children, its siblings (the
  // DSFR's hidden radio and its label), its labels; each with ::before
  // and ::after.
  const related = (el) => {
    const set = [el];
    for (let a = el.parentElement, i = 0; a && i < 3 && a !== document.body; a = a.parentElement, i++) set.push(a);
    for (let i = 0; i < el.children.length && i < 6; i++) set.push(el.children[i]);
    if (el.previousElementSibling) set.push(el.previousElementSibling);
    if (el.nextElementSibling) set.push(el.nextElementSibling);
    if (el.labels) for (const l of el.labels) set.push(l);
    return set;
  };
  const rendering = (el) => related(el).map((e) => look(e) + '#' + look(e, '::before') + '#' + look(e, '::after')).join('\n') +
    '\nvisible:' + (visibleBox(el) && placed(el));

  const FOCUSABLE = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, summary, iframe, [tabindex], [contenteditable=""], [contenteditable=true]';
  const mainOf = () => document.querySelector('main, [role="main"]');
  const inNav = (el) => !!(el.closest && el.closest('header, nav, [role="banner"], [role="navigation"]'));
  // An in-page link: href to a fragment of this very document.
  const inPageTarget = (a) => {
    if (!a || a.localName !== 'a' || !a.hasAttribute('href')) return undefined;
    const href = a.getAttribute('href');
    let u;
    try { u = new URL(href, document.baseURI); } catch (e) { return undefined; }
    if (!u.hash || u.href.split('#')[0] !== location.href.split('#')[0]) return undefined;
    const id = decodeURIComponent(u.hash.slice(1));
    return document.getElementById(id) || document.getElementsByName(id)[0] || null; // null: no such target
  };
  // Whether el is the main content, in it, or holds it (not the body); with
  // no main landmark, out of the header and menus.
  const intoMain = (el) => {
    if (!el || el === document.body || el === document.documentElement) return false;
    const main = mainOf();
    if (main) return main.contains(el) || el.contains(main);
    return !inNav(el);
  };
  const SKIP_TEXT = /contenu|principal|évitement|aller au|accès rapide|content|main|skip/i;

  const startMarker = () => {
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    const m = document.createElement('span');
    m.tabIndex = -1;
    m.setAttribute('data-observatoire', 'start');
    m.style.cssText = 'position:absolute;top:0;left:0;width:1px;height:1px;overflow:hidden;';
    document.body.insertBefore(m, document.body.firstChild);
    m.focus({ preventScroll: true });
    st.marker = m;
    scrollTo(0, 0);
  };
  const dropMarker = () => { if (st.marker) { st.marker.remove(); st.marker = null; } };

  switch (op) {
  case 'prepare': {
    st.before = new Map();
    st.seen = new Set();
    st.href = location.href;
    const all = document.querySelectorAll(FOCUSABLE);
    for (let i = 0; i < all.length && st.before.size < MAX_FOCUSABLE; i++) {
      if (all[i].tabIndex < 0 && !all[i].hasAttribute('tabindex')) continue;
      st.before.set(all[i], rendering(all[i]));
    }
    startMarker();
    return { focusable: st.before.size, repeated: !!document.querySelector('header, nav, [role="banner"], [role="navigation"]') };
  }
  case 'restart':
    st.seen = new Set();
    dropMarker();
    startMarker();
    return {};
  case 'step': {
    dropMarker();
    const el = deepActive();
    if (!el || el === document.body || el === document.documentElement) return { done: true };
    if (st.seen.has(el)) return { done: true };
    st.seen.add(el);
    const r = { tag: el.localName, node: node(el) };
    const target = inPageTarget(el);
    r.in_page = target !== undefined;
    r.target_exists = !!target;
    r.target_main = intoMain(target);
    r.skip_text = SKIP_TEXT.test((el.textContent || '') + ' ' + (el.getAttribute('aria-label') || '') + ' ' + (el.getAttribute('title') || ''));
    r.visible = visibleBox(el) && inViewport(el);
    r.in_nav = inNav(el);
    if (el.localName === 'iframe') { r.unknown = 'iframe'; return r; }
    const before = st.before.get(el);
    if (before === undefined) { r.unknown = 'élément apparu après le chargement'; return r; }
    const after = rendering(el);
    r.changed = after !== before;
    if (r.changed) {
      // The first difference, for the record (what showed the focus).
      const b = before.split('\n'), a = after.split('\n');
      for (let i = 0; i < a.length; i++) {
        if (a[i] === b[i]) continue;
        const bp = (b[i] || '').split(/[|#]/), ap = a[i].split(/[|#]/);
        for (let j = 0; j < ap.length; j++) if (ap[j] !== bp[j]) { r.change = (bp[j] || '') + ' → ' + ap[j]; break; }
        break;
      }
    }
    return r;
  }
  case 'focused':
    // arg: a selector. Whether it names the focused element.
    return { focused: !!arg && deepActive() === document.querySelector(arg) };
  case 'skip': {
    // arg: the link's selector. Called after Enter on it and one more Tab.
    const link = document.querySelector(arg);
    const target = inPageTarget(link);
    const a = deepActive();
    const res = { target: target ? node(target) : null, focus: a && a !== document.body ? node(a) : null };
    if (!target) { res.ok = false; res.why = 'la cible du lien n\'existe pas'; return res; }
    if (!intoMain(target)) { res.ok = false; res.why = 'la cible n\'est pas la zone de contenu principal'; return res; }
    // Focus went into the target, or the next Tab stop is in it or after it
    // and out of the header and menus.
    const after = a && a !== link && (target.contains(a) || (target.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) && !inNav(a));
    res.ok = !!after;
    if (!res.ok) res.why = a === link ? 'la tabulation suivante reste sur le lien' : 'la tabulation suivante ne mène pas dans le contenu principal';
    return res;
  }
  case 'spacing': {
    // Candidates: visible boxes that clip (overflow hidden or clip) and hold
    // text, not already overflowing.
    const cands = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
    let n = 0;
    for (let e = walker.currentNode; e && n < 50000 && cands.length < MAX_CLIP; e = walker.nextNode(), n++) {
      if (e === document.body) continue;
      const cs = getComputedStyle(e);
      const clipX = /hidden|clip/.test(cs.overflowX), clipY = /hidden|clip/.test(cs.overflowY);
      const ellipsis = cs.textOverflow === 'ellipsis' && clipX;
      if (!clipX && !clipY) continue;
      if (e.clientWidth < 8 || e.clientHeight < 8 || !visibleBox(e)) continue;
      if (!(e.innerText || '').trim()) continue;
      cands.push({ e, clipX, clipY, ellipsis, w: e.scrollWidth - e.clientWidth, h: e.scrollHeight - e.clientHeight });
    }
    const style = document.createElement('style');
    style.textContent = '*{line-height:1.5!important;letter-spacing:0.12em!important;word-spacing:0.16em!important}p{margin-bottom:2em!important}';
    document.head.appendChild(style);
    const out = [];
    let count = 0;
    for (const c of cands) {
      const dw = c.e.scrollWidth - c.e.clientWidth, dh = c.e.scrollHeight - c.e.clientHeight;
      const lost = (c.clipY && c.h <= 1 && dh > 2) || (c.clipX && c.w <= 1 && dw > 2);
      if (!lost) continue;
      // Report the innermost clipping box only.
      if (out.length && out.some((o) => c.e.contains(o.el))) continue;
      count++;
      if (out.length < MAX_NODES) {
        out.push({ el: c.e, n: node(c.e, 'avec l\'espacement WCAG 1.4.12, le texte dépasse sa boîte de ' +
          Math.max(dw, dh) + ' px et est coupé (overflow: hidden' + (c.ellipsis ? ', text-overflow: ellipsis' : '') + ')') });
      }
    }
    style.remove();
    return { candidates: cands.length, count, nodes: out.map((o) => o.n) };
  }
  case 'reflow': {
    const vw = document.documentElement.clientWidth;
    const sw = document.documentElement.scrollWidth;
    const res = { viewport: vw, scroll: sw, nodes: [], count: 0 };
    if (sw <= vw + 1) return res;
    // Exempt: content whose two-dimensional layout is its meaning (tables,
    // preformatted text, maps, media) and what scrolls inside its own
    // overflow-x: auto container.
    const EXEMPT = 'table, pre, code, map, img, picture, video, audio, canvas, svg, iframe, object, embed, math, [role="grid"], [role="table"], [role="application"]';
    const exempt = (el) => {
      if (el.closest(EXEMPT)) return true;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const ox = getComputedStyle(a).overflowX;
        if (ox === 'auto' || ox === 'scroll' || ox === 'hidden' || ox === 'clip') return true;
      }
      return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT);
    let n = 0;
    for (let e = walker.nextNode(); e && n < 50000; e = walker.nextNode(), n++) {
      const r = e.getBoundingClientRect();
      if (r.right <= vw + 1 || r.width < 1 || r.height < 1) continue;
      const cs = getComputedStyle(e);
      if (cs.position === 'fixed' || cs.visibility === 'hidden') continue;
      // The origin of the overflow: its parent fits (or is the body).
      const p = e.parentElement;
      if (p && p !== document.body && p.getBoundingClientRect().right > vw + 1) continue;
      if (exempt(e)) continue;
      res.count++;
      if (res.nodes.length < MAX_NODES) {
        res.nodes.push(node(e, 'à 320 px de large, l\'élément s\'étend jusqu\'à ' + Math.round(r.right) + ' px (largeur ' + Math.round(r.width) + ' px)'));
      }
    }
    return res;
  }
  case 'end':
    dropMarker();
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    if (st.href && location.href !== st.href) history.replaceState(history.state, '', st.href);
    scrollTo(0, 0);
    delete window[KEY];
    delete window.__observatoireRGAAfn;
    return {};
  }
  return { error: 'unknown op ' + op };
}
