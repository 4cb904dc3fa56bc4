/* docgen: the plan form saves as people type, and never loses what they typed.
 *
 * Each field is sent on its own (a second after typing stops, at once on change); the box at the
 * side says Saving..., All changes saved, or Not saved, retrying. Until the server confirms a value,
 * it is also kept in this browser's localStorage, so a lost connection, a closed laptop or a server
 * restart loses nothing: the next visit sends it. Leaving the page with unsaved text asks first.
 */
(function () {
  "use strict";

  function token() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  // "Copy the link" beside a read-only link (a new account's invitation): copies it and says so.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-copy]") : null;
    var field = button ? document.getElementById(button.dataset.copy) : null;
    if (!field) { return; }
    var said = document.getElementById(field.id + "-copied");
    function done(text) { if (said) { said.textContent = text; } }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(function () { done("Copied."); },
        function () { done("Selected: press Ctrl+C (or \u2318C) to copy."); });
    } else {
      done(document.execCommand && document.execCommand("copy") ? "Copied." : "Selected: press Ctrl+C to copy.");
    }
  });

  // htmx requests (rows, findings, previews) carry the CSRF token as forms do.
  document.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["x-csrftoken"] = token();
  });

  // A file over the server's limit is refused before it is sent, in words rather than an error page.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]") || !input.files.length) { return; }
    var limit = Number(input.dataset.maxBytes);
    var message = input.files[0].size > limit ?
      input.files[0].name + " is larger than " + Math.round(limit / 1048576) + " MB; a plan file is far smaller." : "";
    input.setCustomValidity(message);
    input.reportValidity();
  });

  // On a narrow screen the findings fold away under a button in the sticky bar.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".side-toggle") : null;
    if (!button) { return; }
    var side = button.closest(".plan-side");
    var open = side.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "Hide what check finds" : "Show what check finds";
  });

  // Before the session ends (idle too long, or 12 hours after signing in), say so in a banner; after idle
  // time, "Stay signed in" asks the server to count it as activity. What was typed is kept either way.
  (function sessionWarnings() {
    var body = document.body;
    if (!body.dataset.idleSeconds) { return; }
    var WARN_MS = 5 * 60 * 1000;
    var idleMs = Number(body.dataset.idleSeconds) * 1000;
    var idleEnds = Date.now() + idleMs;
    var ageEnds = Date.now() + Number(body.dataset.absoluteSeconds) * 1000;
    var banner = null;

    function clock(ms) {
      return new Date(ms).toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
    }

    function hide() {
      if (banner) { banner.remove(); banner = null; }
    }

    function show(text, offerStay, kind) {
      if (banner && banner.dataset.kind === kind) { return; }
      hide();
      banner = document.createElement("div");
      banner.className = "flash session-warning";
      banner.setAttribute("role", "alert");
      banner.append(text + " ");
      var button = document.createElement("button");
      button.type = "button";
      button.className = offerStay ? "primary" : "secondary";
      button.textContent = offerStay ? "Stay signed in" : "Sign in again";
      button.addEventListener("click", offerStay ? stay : function () {
        window.open("/login?next=" + encodeURIComponent(location.pathname), "_blank");
      });
      banner.append(button);
      banner.dataset.kind = kind || "";
      body.append(banner);
    }

    function seen() {
      idleEnds = Date.now() + idleMs;
      if (banner && banner.dataset.kind === "idle") { hide(); }
    }

    function stay() {
      fetch("/session/keep-alive", { method: "POST", credentials: "same-origin",
                                     headers: { "x-csrftoken": token(), "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (!data.ok) { throw new Error("signed out"); }
          idleMs = data.idle * 1000;
          seen();
          hide();
        })
        .catch(function () {
          show("You are signed out. Sign in again in another tab; what you typed is kept in this browser.", false,
               "ended");
        });
    }

    function check() {
      var now = Date.now();
      if (now >= Math.min(idleEnds, ageEnds)) {
        show("You are signed out. Sign in again in another tab; what you typed is kept in this browser.", false,
             "ended");
      } else if (ageEnds - now < WARN_MS) {
        show("Sessions last 12 hours: this one ends at " + clock(ageEnds) + ". Sign in again then; what you " +
             "typed is kept in this browser.", false, "age");
      } else if (idleEnds - now < WARN_MS) {
        show("You will be signed out at " + clock(idleEnds) + " for inactivity.", true, "idle");
      }
    }

    document.addEventListener("htmx:afterRequest", seen);
    body.addEventListener("docgen:saved", seen);
    setInterval(check, 20000);
  }());

  var main = document.querySelector("main[data-save-url]");
  if (!main) { return; }

  var saveUrl = main.dataset.saveUrl;
  var savedAt = Number(main.dataset.savedAt || 0);
  var prefix = "docgen:" + main.dataset.district + ":";
  var stateBox = document.getElementById("save-state");
  var pending = new Map();   // field name -> value not yet confirmed by the server
  var timers = new Map();
  var sending = new Set();
  var again = new Set();
  var problems = new Set();  // fields whose last value the server refused
  var conflicted = new Set(); // fields whose save met someone else's, until the person chooses
  var bases = new Map();     // field name -> the version its text started from (the page's, until it is saved)
  var pageVersion = Number(main.dataset.version || 0);
  var failures = 0;
  var retryTimer = null;

  // The box is a status region: it is written only when the state (or its message) changes, so a screen
  // reader hears "Saving", "All changes saved" or "Not saved" once each, never once per key typed.
  function setState(state, text) {
    if (!stateBox || (stateBox.dataset.state === state && stateBox.textContent === text)) { return; }
    stateBox.dataset.state = state;
    stateBox.textContent = text;
  }

  function refreshState() {
    if (retryTimer) { return; }  // the retry message stays until the next attempt
    if (sending.size) { setState("saving", "Saving\u2026"); }
    else if (conflicted.size) { setState("failed", "Not saved: someone else changed this answer; choose a text"); }
    else if (pending.size) { setState("unsaved", "Changes not saved yet"); }
    else { setState("saved", "All changes saved"); }
  }

  function keep(name, value) {
    try { localStorage.setItem(prefix + name, JSON.stringify({ value: value, at: Date.now() })); } catch (e) { /* private mode */ }
  }

  function forget(name) {
    try { localStorage.removeItem(prefix + name); } catch (e) { /* private mode */ }
  }

  function fieldNamed(name) {
    return document.querySelector('[data-autosave][name="' + CSS.escape(name) + '"]');
  }

  function queue(element, now) {
    var name = element.name;
    pending.set(name, element.value);
    keep(name, element.value);
    clearTimeout(timers.get(name));
    timers.set(name, setTimeout(function () { send(name); }, now ? 0 : 900));
    refreshState();
  }

  function send(name) {
    if (!pending.has(name)) { return; }
    if (sending.has(name)) { again.add(name); return; }
    var value = pending.get(name);
    sending.add(name);
    refreshState();
    var base = bases.has(name) ? bases.get(name) : pageVersion;
    var body = new URLSearchParams({ name: name, value: value, base: String(base) });
    fetch(saveUrl, { method: "POST", body: body, credentials: "same-origin",
                     headers: { "x-csrftoken": token(), "Accept": "application/json" } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (response.ok && data.ok) {
            if (pending.get(name) === value) { pending.delete(name); forget(name); }
            bases.set(name, data.version);
            showPresence(data.here);
            hideConflict(name);
            failures = 0;
            clearRetry();
            showProblem(name, "");
            showFindings(data);
            document.body.dispatchEvent(new CustomEvent("docgen:saved"));
          } else if (response.status === 409 && data.conflict) {
            pending.delete(name);  // someone else saved this field: both texts are shown, nothing is replaced
            showConflict(name, data.conflict);
          } else if (response.status === 422 || response.status === 409) {
            pending.delete(name);  // refused: the text stays in the field and in this browser until it is fixed
            showProblem(name, data.message || "This value cannot be saved.");
          } else if (response.status === 507) {
            failures += 1;  // the district's quota of saved versions, or a full disk: the server's words say which
            retryLater(data.message);
          } else if (response.status === 401) {
            failures += 1;
            retryLater(data.message ||  // the server's words: "You were signed out. Sign in again in another tab..."
                       "You are signed out: sign in again in another tab; what you typed is kept here.");
          } else {
            throw new Error("the server answered " + response.status);
          }
        });
      })
      .catch(function () {
        failures += 1;
        retryLater(null);
      })
      .finally(function () {
        sending.delete(name);
        if (again.has(name)) { again.delete(name); send(name); }
        refreshState();
      });
  }

  // Someone else saved this field after this page's text started: show both texts side by side, who wrote the
  // other and when, and let the person choose. The panel is an alert and takes the focus; user text is only ever
  // set as textContent or a field's value, never as markup.
  function conflictId(name) {
    var element = fieldNamed(name);
    return element ? element.id + "-conflict" : "";
  }

  function hideConflict(name) {
    var panel = document.getElementById(conflictId(name));
    if (panel) { panel.remove(); }
    conflicted.delete(name);
  }

  function textBox(title, text) {
    var box = document.createElement("div");
    box.className = "conflict-text";
    var heading = document.createElement("h3");
    heading.textContent = title;
    var body = document.createElement("p");
    body.textContent = text || "(empty)";
    box.append(heading, body);
    return box;
  }

  function choice(label, kind, action) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = kind;
    button.textContent = label;
    button.addEventListener("click", action);
    return button;
  }

  // "Edit both": both texts in one box for the person to merge (theirs first, then yours); nothing is saved until
  // they press "Save this text", and "Back to the choices" leaves both texts as they were.
  function mergeBox(element, conflict, settle, back) {
    var box = document.createElement("div");
    box.className = "conflict-merge";
    var id = element.id + "-merge";
    var label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = "Both texts, theirs first: keep what you want, then save";
    var area = document.createElement("textarea");
    area.id = id;
    area.rows = 8;
    area.value = conflict.theirs + "\n\n" + conflict.mine;
    var actions = document.createElement("div");
    actions.className = "actions";
    actions.append(choice("Save this text", "primary", function () { settle(area.value, true); }),
                   choice("Back to the choices", "secondary", back));
    box.append(label, area, actions);
    return box;
  }

  function showConflict(name, conflict) {
    var element = fieldNamed(name);
    if (!element) { return; }
    hideConflict(name);
    conflicted.add(name);
    var panel = document.createElement("section");
    panel.className = "conflict";
    panel.id = conflictId(name);
    panel.setAttribute("role", "alert");
    panel.setAttribute("tabindex", "-1");
    var when = conflict.at ? new Date(conflict.at).toLocaleString([], { dateStyle: "medium", timeStyle: "short" }) : "";
    var intro = document.createElement("p");
    intro.className = "conflict-intro";
    intro.textContent = "Not saved: " + (conflict.by || "someone else") + " saved this answer" +
      (when ? " on " + when : "") + " (version " + conflict.version + "), after you started. Choose which text to keep.";
    var texts = document.createElement("div");
    texts.className = "conflict-texts";
    texts.append(textBox("Your text", conflict.mine), textBox("Their text (" + (conflict.by || "someone else") + ")",
                                                               conflict.theirs));
    var actions = document.createElement("div");
    actions.className = "actions";
    function settle(value, save) {
      bases.set(name, conflict.version);
      hideConflict(name);
      showProblem(name, "");
      element.value = value;
      if (element.matches("[data-words]")) { countWords(element); }
      if (save) { queue(element, true); } else { pending.delete(name); forget(name); refreshState(); }
      element.focus();
    }
    actions.append(choice("Keep mine", "primary", function () { settle(conflict.mine, true); }),
                   choice("Keep theirs", "secondary", function () { settle(conflict.theirs, false); }));
    if (element.matches("textarea, input[type=text]")) {
      actions.append(choice("Edit both", "secondary", function () {
        panel.replaceChildren(intro, mergeBox(element, conflict, settle, function () { showConflict(name, conflict); }));
        panel.querySelector("textarea").focus();
      }));
    }
    panel.append(intro, texts, actions);
    var after = document.getElementById(element.id + "-error") || element;
    after.insertAdjacentElement("afterend", panel);
    panel.focus();
  }

  // Who else has the plan open: from each save's answer, and a ping every 45 seconds (which keeps this person in
  // the others' lists). The line is a status region rewritten only when the list changes.
  var presence = document.getElementById("presence");
  function showPresence(here) {
    if (!presence || !here) { return; }
    var text = here.length ? "Also open by " + here.join(", ") : "";
    if (presence.textContent !== text) { presence.textContent = text; }
    presence.hidden = !here.length;
  }
  if (presence && presence.dataset.hereUrl) {  // an earlier year's plan is only read: nobody is "here"
    setInterval(function () {
      fetch(presence.dataset.hereUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : {}; })
        .then(function (data) { showPresence(data.here); })
        .catch(function () { /* offline: the save box says so */ });
    }, 45000);
  }

  function clearRetry() {
    clearTimeout(retryTimer);
    retryTimer = null;
  }

  function retryLater(message) {
    var seconds = Math.min(30, Math.pow(2, Math.min(failures, 5)));
    clearTimeout(retryTimer);
    setState("failed", message || ("Not saved, retrying in " + seconds + " s\u2026 (your text is kept here)"));
    retryTimer = setTimeout(retryAll, seconds * 1000);
  }

  function retryAll() {
    clearRetry();
    pending.forEach(function (_, name) { send(name); });
    refreshState();
  }

  window.addEventListener("online", retryAll);

  function showProblem(name, message) {
    var element = fieldNamed(name);
    if (!element) { return; }
    var box = document.getElementById(element.id + "-error");
    if (box) { box.textContent = message ? "Not saved: " + message : ""; box.hidden = !message; }
    if (message) { problems.add(name); } else { problems.delete(name); }
    markInvalid(element);
  }

  // aria-invalid="true" while a field's value was refused, or check finds an error in it; absent otherwise.
  function markInvalid(element) {
    if (problems.has(element.name) || element.hasAttribute("data-error-finding")) {
      element.setAttribute("aria-invalid", "true");
    } else {
      element.removeAttribute("aria-invalid");
    }
  }

  // A row added or removed answers with its table and, once it has settled (focus placed), what check now finds: the
  // counts and the findings follow it as they follow a save.
  document.body.addEventListener("docgen:checked", function (event) {
    showFindings(event.detail);
    document.body.dispatchEvent(new CustomEvent("docgen:saved"));
  });

  function showFindings(data) {
    if (!data.findings) { return; }  // the review's saves carry no findings
    // The counts sit in a status region: rewritten only when a number changes, so the change is heard once.
    [["error-count", data.errors], ["warning-count", data.warnings]].forEach(function (pair) {
      var count = document.getElementById(pair[0]);
      var text = count ? pair[1] + " " + (pair[1] === 1 ? count.dataset.one : count.dataset.many) : "";
      if (!count || count.textContent === text) { return; }
      count.textContent = text;
      count.classList.toggle("zero", !pair[1]);
    });
    document.querySelectorAll(".notes").forEach(function (notes) { notes.replaceChildren(); });
    document.querySelectorAll("[data-error-finding]").forEach(function (element) {
      element.removeAttribute("data-error-finding");
      markInvalid(element);
    });
    (data.findings || []).forEach(function (finding) {
      var target = finding.id ? document.getElementById(finding.id) : null;
      var control = target && target.matches("[data-autosave]") ? target :
        (target && target.matches(".field:not(.table-block)") ? target.querySelector("[data-autosave]") : null);
      if (control && finding.severity === "error") {
        control.setAttribute("data-error-finding", "");
        markInvalid(control);
      }
      var holder = target ? (target.matches(".field") ? target : target.closest(".field")) : null;
      var notes = holder ? holder.querySelector(":scope > .notes") : null;
      if (!notes) { return; }
      var note = document.createElement("p");
      note.className = "finding " + finding.severity;
      var label = document.createElement("b");
      label.textContent = finding.severity === "error" ? "Error:" : "Warning:";
      note.append(label, " " + finding.message);
      notes.append(note);
    });
  }

  function countWords(element) {
    var counter = document.querySelector('.word-count[data-for="' + element.id + '"]');
    if (!counter) { return; }
    var words = element.value.trim() ? element.value.trim().split(/\s+/).length : 0;
    counter.textContent = words + (words === 1 ? " word" : " words");
  }

  document.addEventListener("input", function (event) {
    var element = event.target;
    if (!element.matches || !element.matches("[data-autosave]")) { return; }
    if (element.matches("[data-words]")) { countWords(element); }
    queue(element, false);
  });

  document.addEventListener("change", function (event) {
    var element = event.target;
    if (element.matches && element.matches("[data-autosave]")) { queue(element, true); }
  });

  // A row added or removed renumbers the rows below it: send what is pending first.
  document.addEventListener("htmx:confirm", function (event) {
    if (!pending.size && !sending.size) { return; }
    event.preventDefault();
    pending.forEach(function (_, name) { clearTimeout(timers.get(name)); send(name); });
    var waited = 0;
    var wait = setInterval(function () {
      waited += 100;
      if ((!pending.size && !sending.size) || waited > 15000) {
        clearInterval(wait);
        event.detail.issueRequest(false);
      }
    }, 100);
  });

  window.addEventListener("beforeunload", function (event) {
    if (pending.size || sending.size || conflicted.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Text typed here that the server never confirmed (a lost connection, a closed tab): send it now. A page
  // with nothing to save (an earlier year, a submitted plan) leaves what was kept alone, for the page it is from.
  var restored = 0;
  var saves = main.querySelector("[data-autosave]:not([disabled]):not([readonly])");
  try {
    for (var i = saves ? localStorage.length - 1 : -1; i >= 0; i -= 1) {
      var key = localStorage.key(i);
      if (!key || key.indexOf(prefix) !== 0) { continue; }
      var kept = JSON.parse(localStorage.getItem(key) || "{}");
      var element = fieldNamed(key.slice(prefix.length));
      if (!element || element.disabled || kept.at <= savedAt || element.value === kept.value) {
        localStorage.removeItem(key);
        continue;
      }
      element.value = kept.value;
      if (element.matches("[data-words]")) { countWords(element); }
      queue(element, true);
      restored += 1;
    }
  } catch (e) { /* no localStorage: nothing was kept */ }
  if (restored) {
    var notice = document.createElement("div");
    notice.className = "flash";
    notice.setAttribute("role", "status");
    notice.textContent = "Restored " + restored + " answer" + (restored === 1 ? "" : "s") +
      " typed here before the connection was lost; saving " + (restored === 1 ? "it" : "them") + " now.";
    main.prepend(notice);
  }
}());
