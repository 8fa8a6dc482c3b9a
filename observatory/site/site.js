// Sorts a results table in place when a column title is chosen. The site
// works without it: the titles of the home page link to pre-rendered
// sorted pages, and other tables are simply not sorted.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function key(cell, type) {
    if (!cell) return "";
    if (type === "num") return parseFloat(cell.getAttribute("data-sort") || "0");
    return cell.textContent.trim().toLocaleLowerCase("fr");
  }
  function sort(table, col, type, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var desc = th.getAttribute("aria-sort") !== "descending" && type === "num" ||
      th.getAttribute("aria-sort") === "ascending";
    rows.sort(function (a, b) {
      var x = key(a.cells[col], type), y = key(b.cells[col], type);
      var c = type === "num" ? x - y : x.localeCompare(y, "fr");
      return desc ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", desc ? "descending" : "ascending");
  }
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    if (!table.tHead || !table.tBodies.length) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var type = th.getAttribute("data-type");
      if (!type) return;
      var control = th.querySelector("a");
      if (!control) {
        control = document.createElement("button");
        control.type = "button";
        control.className = "sort";
        control.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(control);
      }
      control.addEventListener("click", function (ev) {
        ev.preventDefault();
        sort(table, col, type, th);
      });
    });
  });
})();

// Search and filters in place. Without JavaScript the form leads to the
// search page, which lists the pre-rendered pages per ministry,
// administration and level. With it, the form filters the table of its
// page from the JSON index published beside the pages, the address keeps
// the search (shareable, the back button works) and a live region says
// how many procedures are shown.
(function () {
  "use strict";
  var form = document.querySelector("form.search");
  var table = document.querySelector("table.results[data-sortable]");
  var status = document.getElementById("resultats");
  if (!form || !table || !status || !window.fetch || !window.URLSearchParams || !window.history.pushState) return;
  var names = ["q", "ministere", "administration", "critere", "niveau"];
  var folds = { "œ": "oe", "æ": "ae", "ß": "ss", "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'" };
  function fold(s) {
    return s.toLocaleLowerCase("fr").replace(/[œæß\u2019\u2018\u02bc`]/g, function (c) { return folds[c]; })
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }
  function state() {
    var p = new URLSearchParams(window.location.search), s = {};
    names.forEach(function (n) { s[n] = p.get(n) || ""; });
    return s;
  }
  function fill(s) {
    names.forEach(function (n) { if (form.elements[n]) form.elements[n].value = s[n]; });
  }
  function read() {
    var s = {};
    names.forEach(function (n) { s[n] = form.elements[n] ? form.elements[n].value : ""; });
    return s;
  }
  function active(s) {
    return names.some(function (n) { return s[n] !== ""; });
  }
  function apply(index, s) {
    var words = fold(s.q).split(" ").filter(Boolean), shown = 0, byId = {};
    index.procedures.forEach(function (p) { byId[p.id] = p; });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var p = byId[row.getAttribute("data-id")], ok = !!p;
      if (ok) ok = words.every(function (w) { return p.text.indexOf(w) >= 0; });
      if (ok && s.ministere) ok = p.m === s.ministere;
      if (ok && s.administration) ok = p.a === s.administration;
      if (ok && s.niveau) {
        ok = s.critere ? p.levels[s.critere] === s.niveau :
          Object.keys(p.levels).some(function (k) { return p.levels[k] === s.niveau; });
      }
      row.hidden = !ok;
      if (ok) shown++;
    });
    status.textContent = active(s) ?
      (shown === 0 ? "Aucune démarche ne correspond." : shown + (shown > 1 ? " démarches correspondent." : " démarche correspond.")) :
      shown + (shown > 1 ? " démarches." : " démarche.");
  }
  fetch(form.getAttribute("data-index")).then(function (r) {
    if (!r.ok) throw new Error(r.status);
    return r.json();
  }).then(function (index) {
    var here = window.location.pathname;
    form.setAttribute("action", here);
    document.documentElement.classList.add("search-ready");
    var s = state();
    fill(s);
    if (active(s)) apply(index, s);
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var s = read(), p = new URLSearchParams();
      names.forEach(function (n) { if (s[n]) p.set(n, s[n]); });
      var qs = p.toString();
      window.history.pushState(s, "", here + (qs ? "?" + qs : "") + "#resultats");
      apply(index, s);
    });
    window.addEventListener("popstate", function () {
      var s = state();
      fill(s);
      apply(index, s);
    });
  }).catch(function () { /* the form keeps leading to the search page */ });
})();
