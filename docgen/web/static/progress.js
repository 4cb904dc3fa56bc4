/* docgen: the Progress page saves a changed check-in as people type, and keeps a new one's text until it is added.
 *
 * A change to a recorded check-in is sent a second after typing stops (at once when a date, a status or a
 * field is left): the same form the button posts, asking for JSON. The line under the form says Saving...,
 * Saved at 3:04 PM, or what to fix; the row above shows the saved values. Without this script the button
 * still saves. What is typed into a new check-in is kept in this browser until the page says it was
 * recorded, so a closed tab or a refused form loses nothing.
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
      cell.textContent = checkin[cell.dataset.show];
      if (cell.dataset.show === "status") {
        cell.className = "status-pill checkin-" + checkin.status.toLowerCase().replace(/ /g, "-");
      }
    });
  }

  function save(form) {
    if (form.dataset.sending) { form.dataset.again = "1"; return; }
    if (!form.checkValidity()) { say(form, "unsaved", "Not saved yet: fill in the date and what the data showed."); return; }
    form.dataset.sending = "1";
    say(form, "saving", "Saving…");
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin",
                         headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (!data.ok) { throw new Error(data.message || "Not saved."); }
        showRow(form, data.checkin);
        say(form, "saved", "Saved " + data.saved + ".");
      })
      .catch(function (error) {
        say(form, "failed", error.message.indexOf("Not saved") === 0 ? error.message :
            "Not saved: the server did not answer. Press Save the change to try again.");
      })
      .then(function () {
        delete form.dataset.sending;
        if (form.dataset.again) { delete form.dataset.again; save(form); }
      });
  }

  document.querySelectorAll("form.checkin-edit").forEach(function (form) {
    var timer = null;
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
    if (kept) {
      Object.keys(kept).forEach(function (name) {
        var field = form.elements[name];
        if (field && field.type !== "hidden" && !field.value) { field.value = kept[name]; }
      });
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
