/* barrier-scan web app: small plain JavaScript, no build step. Every page works without it
   (forms post and redirect); with it uploads show progress, scans are polled, findings filter
   and jump, and verdicts save in place. */
(function () {
  "use strict";

  function csrf() {
    var el = document.querySelector('input[name="csrf"]');
    return el ? el.value : "";
  }

  /* ---------------------------------------------------------------- uploads */
  function uploadFile(file, list) {
    return new Promise(function (resolve) {
      var li = document.createElement("li");
      li.className = "up";
      var name = document.createElement("span");
      name.className = "up-name";
      name.textContent = file.name;
      var state = document.createElement("span");
      state.className = "up-state";
      state.textContent = " uploading…";
      li.appendChild(name);
      li.appendChild(state);
      list.appendChild(li);
      var data = new FormData();
      data.append("csrf", csrf());
      data.append("files", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/upload");
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRF-Token", csrf());
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          state.textContent = " uploading " + Math.round(100 * e.loaded / e.total) + "%";
        }
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
        if (xhr.status === 200 && body && body.documents) {
          var doc = body.documents[0];
          state.textContent = " uploaded: ";
          var a = document.createElement("a");
          a.href = doc.url;
          a.textContent = "open the review";
          li.appendChild(a);
          resolve(doc);
        } else {
          li.classList.add("failed");
          state.textContent = " not uploaded: " + ((body && body.error) || ("error " + xhr.status));
          resolve(null);
        }
      };
      xhr.onerror = function () {
        li.classList.add("failed");
        state.textContent = " not uploaded: the server could not be reached";
        resolve(null);
      };
      xhr.send(data);
    });
  }

  function uploadAll(files) {
    var list = document.getElementById("upload-progress");
    if (!files.length || !list) { return; }
    var queue = Array.prototype.slice.call(files);
    var done = [];
    var running = 0;
    function next() {
      if (!queue.length) {
        if (running === 0) { finished(); }
        return;
      }
      running += 1;
      uploadFile(queue.shift(), list).then(function (doc) {
        if (doc) { done.push(doc); }
        running -= 1;
        next();
      });
    }
    function finished() {
      if (done.length === 1 && files.length === 1) {
        window.location.href = done[0].url;
      } else if (done.length) {
        window.location.reload();
      }
    }
    for (var i = 0; i < 3; i++) { next(); }
  }

  function setupUpload() {
    var drop = document.getElementById("drop");
    var input = document.getElementById("files");
    if (!drop || !input) { return; }
    input.addEventListener("change", function () { uploadAll(input.files); });
    ["dragenter", "dragover"].forEach(function (t) {
      drop.addEventListener(t, function (e) {
        e.preventDefault();
        drop.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (t) {
      drop.addEventListener(t, function (e) {
        e.preventDefault();
        drop.classList.remove("over");
      });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files) { uploadAll(e.dataTransfer.files); }
    });
  }

  /* ---------------------------------------------------------------- progress */
  function poll(el) {
    var url = el.getAttribute("data-status-url");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (st) {
        var text = el.querySelector(".progress-text, .status");
        if (text) { text.textContent = st.message; }
        var score = el.querySelector(".score");
        if (st.state === "done") {
          if (score && st.score !== null && st.score !== undefined) { score.textContent = String(st.score); }
          el.setAttribute("data-state", "done");
          if (el.getAttribute("data-reload")) { window.location.reload(); }
          return;
        }
        window.setTimeout(function () { poll(el); }, 600);
      })
      .catch(function () { window.setTimeout(function () { poll(el); }, 2000); });
  }

  function setupProgress() {
    var els = document.querySelectorAll("[data-status-url]");
    Array.prototype.forEach.call(els, function (el) {
      if (el.getAttribute("data-state") !== "done") { poll(el); }
    });
  }

  /* ---------------------------------------------------------------- review */
  function items() { return document.querySelectorAll("#side li.item"); }

  function applyFilters() {
    var side = document.getElementById("side");
    if (!side) { return; }
    var on = { group: {}, cat: {} };
    var showDecided = true;
    Array.prototype.forEach.call(side.querySelectorAll("input[data-filter]"), function (box) {
      var kind = box.getAttribute("data-filter");
      if (kind === "decided") { showDecided = box.checked; } else { on[kind][box.value] = box.checked; }
    });
    var visible = {};
    var decided = {};
    var shown = 0;
    var all = items();
    Array.prototype.forEach.call(all, function (li) {
      var n = li.getAttribute("data-n");
      var v = li.getAttribute("data-verdict");
      var ok = on.group[li.getAttribute("data-group")] !== false &&
               on.cat[li.getAttribute("data-cat")] !== false && (showDecided || !v);
      li.hidden = !ok;
      visible[n] = ok;
      decided[n] = !!v;
      if (ok) { shown += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("#doc mark.hl"), function (m) {
      var ns = m.getAttribute("data-f").split(" ");
      var any = ns.some(function (n) { return visible[n]; });
      var allDecided = ns.every(function (n) { return decided[n]; });
      m.classList.toggle("off", !any);
      m.classList.toggle("decided", allDecided);
    });
    Array.prototype.forEach.call(side.querySelectorAll("details.group"), function (d) {
      var lis = d.querySelectorAll("li.item");
      var any = Array.prototype.some.call(lis, function (li) { return !li.hidden; });
      d.hidden = !any;
    });
    var count = document.getElementById("filter-count");
    if (count) { count.textContent = "Showing " + shown + " of " + all.length + " findings"; }
  }

  function flash(els, cls) {
    Array.prototype.forEach.call(document.querySelectorAll("." + cls), function (e) { e.classList.remove(cls); });
    Array.prototype.forEach.call(els, function (e) { e.classList.add(cls); });
  }

  function jumpToMark(n) {
    var m = document.getElementById("m-" + n);
    if (!m) { return; }
    m.scrollIntoView({ block: "center" });
    var marks = Array.prototype.filter.call(document.querySelectorAll("#doc mark.hl"), function (x) {
      return x.getAttribute("data-f").split(" ").indexOf(String(n)) >= 0;
    });
    flash(marks, "flash");
    var li = document.getElementById("f-" + n);
    if (li) {
      flash([li], "current");
      // Beside the text (wide screens) the list scrolls on its own: keep the entry in sight.
      // Above the text (narrow screens) scrolling to it would undo the jump.
      var side = document.getElementById("side");
      if (side && window.getComputedStyle(side).position === "sticky") {
        side.scrollTop += li.getBoundingClientRect().top - side.getBoundingClientRect().top - 80;
      }
    }
    if (history.replaceState) { history.replaceState(null, "", "#m-" + n); }
  }

  function jumpToItem(mark) {
    var ns = mark.getAttribute("data-f").split(" ");
    for (var i = 0; i < ns.length; i++) {
      var li = document.getElementById("f-" + ns[i]);
      if (li && !li.hidden) {
        var group = li.closest("details.group");
        if (group) { group.open = true; }
        li.scrollIntoView({ block: "nearest" });
        flash([li], "current");
        flash([mark], "flash");
        return;
      }
    }
  }

  function submitVerdict(form) {
    var data = new FormData(form);
    return fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRF-Token": csrf() }
    }).then(function (r) { return r.json(); }).then(function (body) {
      var li = form.closest("li.item");
      if (body.html && li) {
        var tmp = document.createElement("ul");
        tmp.innerHTML = body.html;
        var fresh = tmp.firstElementChild;
        li.replaceWith(fresh);
        applyFilters();
        flash([fresh], "current");
        var btn = fresh.querySelector("button");
        if (btn) { btn.focus(); }
      }
    });
  }

  function setupReview() {
    if (!document.getElementById("doc")) { return; }
    document.addEventListener("change", function (e) {
      if (e.target.matches && e.target.matches("input[data-filter]")) { applyFilters(); }
    });
    document.addEventListener("click", function (e) {
      var a = e.target.closest ? e.target.closest("a.jump") : null;
      if (a) {
        e.preventDefault();
        jumpToMark(a.getAttribute("data-n"));
        return;
      }
      var m = e.target.closest ? e.target.closest("#doc mark.hl") : null;
      if (m) { jumpToItem(m); }
    });
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (form.classList && form.classList.contains("verdict-form")) {
        e.preventDefault();
        submitVerdict(form);
      }
    });
    applyFilters();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupUpload();
    setupProgress();
    setupReview();
  });
}());
