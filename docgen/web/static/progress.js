/* docgen: the Progress page saves a changed check-in as people type, and keeps a new one's text until it is added.
 *
 * A change to a recorded check-in is sent a second after typing stops (at once when a date, a status or a
 * field is left), unless nothing changed: the same form the button posts, asking for JSON. The line under
 * the form says Saving..., Saved with the time, or what the server said to fix (signed out, a field refused);
 * the row above shows the saved values. Without this script the button still saves. What is typed into a
 * new check-in is kept in this browser until the page says it was recorded, so a closed tab or a refused
 * form loses nothing; the form says when it was filled in from what was kept.
 */
(function () {
  "use strict";

  var WAIT_MS = 1000;

  function say(form, state, text) {
    var line = form.querySelector(".save-state");
    if (!line || (line.dataset.state === state && line.textContent === text)) { return; }
    line.dataset.state = state;
    line.textContent = text;
  }

  function showRow(form, checkin) {
    var row = document.getElementById(form.dataset.row);
    if (!row) { return; }
    row.querySelectorAll("[data-show]").forEach(function (cell) {
      cell.textContent = checkin[cell.dataset.show + "_shown"] || checkin[cell.dataset.show];  // dates as read
      if (cell.dataset.show === "status") {
        cell.className = "status-pill checkin-" + checkin.status.toLowerCase().replace(/ /g, "-");
      }
    });
  }

  function refused(message) {  // what the server said, as opposed to no answer at all
    var error = new Error(message);
    error.fromServer = true;
    return error;
  }

  function save(form) {
    if (form.dataset.sending) { form.dataset.again = "1"; return; }
    var missing = Array.prototype.filter.call(form.elements, function (field) { return !field.validity.valid; })
      .map(function (field) {
        return field.labels && field.labels.length ? field.labels[0].textContent.toLowerCase() : field.name;
      });
    if (missing.length) { say(form, "unsaved", "Not saved yet: fill in " + missing.join(" and ") + "."); return; }
    var body = new URLSearchParams(new FormData(form)).toString();
    if (body === form.dataset.saved) { return; }  // nothing changed since the last save
    form.dataset.sending = "1";
    say(form, "saving", "Saving…");
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { "Accept": "application/json" } })
      .then(function (response) {
        if ((response.headers.get("content-type") || "").indexOf("application/json") !== 0) {
          throw refused("Not saved: this page's form has expired. Copy what you typed, reload the page and paste it.");
        }
        return response.json();
      })
      .then(function (data) {
        if (!data.ok) { throw refused(data.message || "Not saved."); }
        form.dataset.saved = body;
        showRow(form, data.checkin);
        say(form, "saved", "Saved " + data.saved + ".");
      })
      .catch(function (error) {
        say(form, "failed", error.fromServer ? error.message :
            "Not saved: the server did not answer. Press Save the change to try again.");
      })
      .then(function () {
        delete form.dataset.sending;
        if (form.dataset.again) { delete form.dataset.again; save(form); }
      });
  }

  document.querySelectorAll("form.checkin-edit").forEach(function (form) {
    var timer = null;
    form.dataset.saved = new URLSearchParams(new FormData(form)).toString();  // as the server has it
    form.addEventListener("input", function () {
      clearTimeout(timer);
      say(form, "unsaved", "Saving when you stop typing…");
      timer = setTimeout(function () { save(form); }, WAIT_MS);
    });
    form.addEventListener("change", function () { clearTimeout(timer); save(form); });
    form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); save(form); });
  });

  // A new check-in: its text is kept in this browser until the page that follows says it was recorded.
  var sent = sessionStorage.getItem("docgen:checkin-sent");
  if (sent) {
    sessionStorage.removeItem("docgen:checkin-sent");
    if (document.querySelector(".flash.success")) {
      try { localStorage.removeItem(sent); } catch (error) { /* nothing was kept */ }
    }
  }
  document.querySelectorAll("form.checkin-form[data-draft]").forEach(function (form) {
    var key = form.dataset.draft;
    var kept = null;
    try { kept = JSON.parse(localStorage.getItem(key) || "null"); } catch (error) { kept = null; }
    if (kept && (kept.date || kept.value || kept.note)) {
      Object.keys(kept).forEach(function (name) {
        var field = form.elements[name];
        if (field && field.type !== "hidden" && (field.tagName === "SELECT" || !field.value)) {
          field.value = kept[name];
        }
      });
      var notice = document.createElement("p");
      notice.className = "hint";
      notice.setAttribute("role", "status");
      var grid = form.querySelector(".checkin-grid");
      grid.parentNode.insertBefore(notice, grid);
      notice.textContent = "Filled in with what you typed here before; it is not recorded until you add it.";
    }
    function keep() {
      var values = {};
      ["date", "value", "status", "note"].forEach(function (name) { values[name] = form.elements[name].value; });
      try { localStorage.setItem(key, JSON.stringify(values)); } catch (error) { /* private mode: nothing kept */ }
    }
    form.addEventListener("input", keep);
    form.addEventListener("change", keep);
    form.addEventListener("submit", function () { sessionStorage.setItem("docgen:checkin-sent", key); });
  });
}());
