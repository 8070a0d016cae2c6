/* Quiz autosave: each answer is posted to the server as soon as it changes, so a crash or a
   power cut loses at most what is being typed. Without JavaScript the page's buttons save. */
(function () {
  "use strict";
  var form = document.getElementById("attempt");
  if (!form) { return; }
  var url = form.getAttribute("data-save-url");
  var token = form.querySelector("input[name=csrf_token]").value;
  var status = document.getElementById("save-status");
  var texts = document.getElementById("saved-text");
  var timers = {};
  var submitting = false;

  function say(key, cls) {
    if (!status || !texts) { return; }
    status.textContent = texts.getAttribute("data-" + key);
    status.className = "save-status " + (cls || "");
  }

  function fieldsOf(box) {
    var prefix = "q" + box.getAttribute("data-slot");
    var fields = {};
    box.querySelectorAll("input, select, textarea").forEach(function (el) {
      if (!el.name || (el.name !== prefix && el.name.indexOf(prefix + "_") !== 0)) { return; }
      if (!fields[el.name]) { fields[el.name] = []; }
      if ((el.type === "checkbox" || el.type === "radio") && !el.checked) { return; }
      fields[el.name].push(el.value);
    });
    return fields;
  }

  function save(box) {
    var slot = parseInt(box.getAttribute("data-slot"), 10);
    say("saving");
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token},
      body: JSON.stringify({slot: slot, fields: fieldsOf(box)})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || data.message || ""); }
        say("saved", "saved");
        if (typeof data.remaining === "number") { remaining = data.remaining; }
      });
    }).catch(function (err) {
      say("failed", "failed");
      if (err && err.message && status) { status.textContent = err.message; }
    });
  }

  function later(box, delay) {
    var slot = box.getAttribute("data-slot");
    clearTimeout(timers[slot]);
    timers[slot] = setTimeout(function () { save(box); }, delay);
  }

  form.addEventListener("change", function (event) {
    var box = event.target.closest("[data-slot]");
    if (box) { later(box, 0); }
  });
  form.addEventListener("input", function (event) {
    var box = event.target.closest("[data-slot]");
    if (box && (event.target.tagName === "TEXTAREA" || event.target.type === "text")) {
      later(box, 1500);
    }
  });

  var finish = document.getElementById("finish");
  form.addEventListener("submit", function (event) {
    // One submission per click: a second click while the first is on its way does nothing.
    if (submitting) { event.preventDefault(); return; }
    var button = event.submitter;
    if (button === finish && texts && !autoFinish &&
        !window.confirm(texts.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    submitting = true;
  });

  // The countdown shows the server's time left; at zero the page submits what it holds.
  var timer = document.getElementById("timer");
  var remaining = timer ? parseInt(timer.getAttribute("data-remaining"), 10) : null;
  var autoFinish = false;
  if (timer) {
    var strong = timer.querySelector("strong");
    setInterval(function () {
      remaining -= 1;
      var left = Math.max(remaining, 0);
      strong.textContent = Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2);
      if (left < 60) { timer.className = "timer low"; }
      if (remaining <= 0 && !submitting && finish) {
        autoFinish = true;
        finish.click();
      }
    }, 1000);
  }
})();
