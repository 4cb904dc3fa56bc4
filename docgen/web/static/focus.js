/* docgen: where keyboard focus goes after an action, so nobody types into the wrong answer.
 *
 * After "Add a row", focus is on the new row's first field; after removing a row, on the row that took its
 * place (or the one above, or "Add a row"); removing a row that holds text, or the second priority, asks
 * first. A link to a field (the findings list, the home page's links, #priority-2 after adding a priority)
 * puts focus in that field, not only the page's scroll position. Whatever htmx replaces while it had focus
 * hands focus to its replacement, so focus is never left on <body>.
 * Loaded before docgen.js: its htmx:confirm listener must answer before the autosave one sends anything.
 */
(function () {
  "use strict";

  var CONTROL = "[data-autosave]:not([disabled]), button:not([disabled]), a[href], input:not([type=hidden]), " +
                "select, textarea";
  var planned = null;   // what the last row request will do: {table id, action, index}
  var hadFocus = null;  // id of an element htmx is replacing while focus is inside it
  var hadLink = "";     // and the href of the link that had focus there (a finding's link, say)

  function focusOn(element) {
    if (!element) { return false; }
    if (!element.matches(CONTROL) && !element.hasAttribute("tabindex")) { element.setAttribute("tabindex", "-1"); }
    element.focus();
    return document.activeElement === element;
  }

  function firstControl(container) {
    return container ? container.querySelector("[data-autosave]:not([disabled])") : null;
  }

  // The field a link's #id names: the control itself, the first one inside it, or the first after a heading.
  function controlFor(target) {
    if (target.matches(CONTROL) || target.matches("main")) { return target; }  // main: the skip link's target
    var inside = firstControl(target) || target.querySelector(CONTROL);
    if (inside) { return inside; }
    var after = Array.prototype.find.call(document.querySelectorAll("[data-autosave]:not([disabled])"), function (c) {
      return target.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING;
    });
    return target.matches(".group-heading, span[id]") && after ? after : target;
  }

  function focusHash(id) {
    var target = id ? document.getElementById(decodeURIComponent(id)) : null;
    if (!target) { return false; }
    var control = controlFor(target);
    if (control.scrollIntoView) { control.scrollIntoView({ block: "center" }); }
    return focusOn(control);
  }

  // A link in the findings list (or the list of sections) to a field on this page: focus the field.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".findings-panel a[href*='#']") : null;
    if (!link || link.pathname !== location.pathname) { return; }
    var id = link.hash.slice(1);
    if (focusHash(id)) {
      event.preventDefault();
      history.replaceState(null, "", "#" + id);
    }
  });

  function rowText(row) {
    return Array.prototype.some.call(row.querySelectorAll("[data-autosave]"), function (c) { return c.value.trim(); });
  }

  // Removing a row with text in it asks first; its answer says which row and table.
  document.addEventListener("htmx:confirm", function (event) {
    var button = event.detail.elt;
    var vals = parseVals(button);
    if (!vals || vals.action !== "remove") { return; }
    var row = button.closest("tr");
    var block = button.closest(".table-block");
    var title = block && block.querySelector("h3") ? block.querySelector("h3").textContent.trim() : "this table";
    if (row && rowText(row) && !window.confirm("Remove row " + (Number(vals.index) + 1) + " of " + title +
                                               "? What it holds is deleted (earlier versions keep it).")) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  });

  // A form that deletes much (the second priority) asks first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) { event.preventDefault(); }
  });

  function parseVals(element) {
    var raw = element && element.getAttribute ? element.getAttribute("hx-vals") : null;
    try { return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var vals = parseVals(event.detail.elt);
    var target = event.detail.target;
    planned = vals && vals.table && target ? { id: target.id, action: vals.action, index: Number(vals.index) } : null;
  });

  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    hadFocus = target && target.contains(document.activeElement) && target.id ? target.id : null;
    hadLink = hadFocus && document.activeElement.matches("a[href]") ? document.activeElement.getAttribute("href") : "";
  });

  document.addEventListener("htmx:afterSettle", function () {
    var plan = planned;
    planned = null;
    if (plan && focusRow(plan)) { return; }
    if (hadFocus && (document.activeElement === document.body || !document.activeElement)) {
      var replaced = document.getElementById(hadFocus);
      var same = replaced && hadLink ? replaced.querySelector('a[href="' + CSS.escape(hadLink) + '"]') : null;
      var heading = replaced ? replaced.closest("section, .card") : null;
      focusOn(same || (replaced && replaced.matches("[hx-get]") && heading ? heading.querySelector("h2, h3") : replaced));
    }
    hadFocus = null;
  });

  // After a row is added: its first field. After one is removed: the row now in its place, or the one above,
  // or the "Add a row" button when none is left.
  function focusRow(plan) {
    var block = document.getElementById(plan.id);
    if (!block) { return false; }
    var rows = block.querySelectorAll("tbody tr[id]");
    if (plan.action === "add") { return focusOn(firstControl(rows[rows.length - 1])); }
    var row = rows[Math.min(plan.index, rows.length - 1)];
    return focusOn(row ? firstControl(row) : block.querySelector(".actions button"));
  }

  window.addEventListener("hashchange", function () { focusHash(location.hash.slice(1)); });
  // On arrival at #id (after "Add a second priority", or from a link elsewhere): once the page has loaded, since
  // the browser's own move to the fragment comes after deferred scripts and would leave focus on <body>.
  window.addEventListener("load", function () {
    if (location.hash.length > 1 && document.activeElement === document.body) { focusHash(location.hash.slice(1)); }
  });
}());
