/* The judge's score sheet (templates/competitions/judging/sheet.html): every score is saved as it
 * is typed, and none is lost when the connection drops.
 *
 *   <form data-scoresheet="KEY" data-save-url="…" data-text-saved="…" data-text-offline="…"
 *         data-text-saving="…" data-text-refused="…">
 *     <p data-sheet-status></p>                      what the judge sees: 已保存 / 未同步（离线）
 *     <input data-part="CODE" name="CODE">           one per scored part
 *     <p data-part-error="CODE" hidden></p>          the server's refusal of that part's score
 *   <div data-scoresheet-done="KEY">                 the sheet is submitted: nothing left to send
 *
 * A changed score goes into localStorage (keyed by the sheet) before it is sent, and leaves it
 * only once the server has saved it. Unsent scores are sent again when the browser is back
 * online, on a timer, and on the next visit (restored into the fields first). A score the
 * server refuses (off the scale, the sheet submitted …) is shown with the reason and not sent
 * again. Without this script the form saves with its buttons. No inline script: the
 * Content-Security-Policy allows the site's own files only.
 */
(function () {
  "use strict";

  var PREFIX = "gonghui:scoresheet:";
  var RETRY_MS = 15000;
  var DEBOUNCE_MS = 700;

  function read(key) {
    try {
      return JSON.parse(window.localStorage.getItem(PREFIX + key) || "{}") || {};
    } catch (error) {
      return {};
    }
  }

  function write(key, pending) {
    try {
      if (Object.keys(pending).length) {
        window.localStorage.setItem(PREFIX + key, JSON.stringify(pending));
      } else {
        window.localStorage.removeItem(PREFIX + key);
      }
    } catch (error) {
      /* storage full or refused (private mode): the scores are still sent */
    }
  }

  document.querySelectorAll("[data-scoresheet-done]").forEach(function (done) {
    write(done.getAttribute("data-scoresheet-done"), {});
  });

  var form = document.querySelector("form[data-scoresheet]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var key = form.getAttribute("data-scoresheet");
  var url = form.getAttribute("data-save-url");
  var statusLine = form.querySelector("[data-sheet-status]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var sending = false;
  var again = false;
  var timer = null;
  var leaving = false; /* the form itself is being posted: it carries every score */
  var saved = {}; /* what the server holds, by part: the page's values, then each saved one */
  form.querySelectorAll("input[data-part]").forEach(function (input) {
    saved[input.getAttribute("data-part")] = input.value.trim();
  });

  function text(name) {
    return form.getAttribute("data-text-" + name) || "";
  }

  function show(state, detail) {
    if (!statusLine) {
      return;
    }
    statusLine.textContent = detail ? text(state) + "：" + detail : text(state);
    statusLine.setAttribute("data-state", state);
    statusLine.classList.toggle("text-success", state === "saved");
    statusLine.classList.toggle("text-warning", state === "offline");
    statusLine.classList.toggle("text-danger", state === "refused");
  }

  function partError(code, message) {
    var slot = form.querySelector('[data-part-error="' + code + '"]');
    var input = form.querySelector('input[data-part="' + code + '"]');
    if (slot) {
      slot.textContent = message || "";
      slot.hidden = !message;
    }
    if (input) {
      input.classList.toggle("is-invalid", !!message);
    }
  }

  function send() {
    var pending = read(key);
    var codes = Object.keys(pending);
    if (!codes.length || leaving) {
      return;
    }
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    var body = new FormData();
    if (token) {
      body.append("csrfmiddlewaretoken", token.value);
    }
    codes.forEach(function (code) {
      body.append(code, pending[code]);
    });
    show("saving");
    window
      .fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-Requested-With": "XMLHttpRequest" },
      })
      .then(function (response) {
        return response.json().then(
          function (data) {
            return { ok: response.ok, status: response.status, data: data };
          },
          function () {
            return { ok: false, status: response.status, data: null };
          }
        );
      })
      .then(
        function (result) {
          sending = false;
          var now = read(key);
          if (result.ok && result.data && result.data.saved) {
            codes.forEach(function (code) {
              saved[code] = pending[code];
              if (now[code] === pending[code]) {
                delete now[code];
              }
              partError(code, "");
            });
            write(key, now);
            if (Object.keys(now).length) {
              again = true; /* typed while this was on its way */
            } else {
              show("saved", result.data.saved_at || "");
            }
          } else if (result.status === 400 && result.data && result.data.message) {
            /* refused: the reason is shown; that score is not sent again */
            var field = result.data.field;
            if (field && now[field] !== undefined) {
              delete now[field];
              partError(field, result.data.message);
            } else {
              codes.forEach(function (code) {
                delete now[code];
              });
            }
            write(key, now);
            show("refused", result.data.message);
            again = again || Object.keys(now).length > 0; /* the others were not saved with it */
          } else {
            show("offline");
          }
          if (again) {
            again = false;
            send();
          }
        },
        function () {
          sending = false;
          show("offline");
        }
      );
  }

  /* Whether the input's score still has to be sent (a score the server holds is not sent again). */
  function remember(input) {
    var code = input.getAttribute("data-part");
    var value = input.value.trim();
    var pending = read(key);
    if (pending[code] === undefined && saved[code] === value) {
      return false;
    }
    pending[code] = value;
    write(key, pending);
    return true;
  }

  form.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-part]")) {
      return;
    }
    if (!remember(input)) {
      return;
    }
    show(window.navigator.onLine === false ? "offline" : "saving");
    window.clearTimeout(timer);
    timer = window.setTimeout(send, DEBOUNCE_MS);
  });

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[data-part]") && remember(input)) {
      window.clearTimeout(timer);
      send();
    }
  });

  /* Posting the form (save, review) sends every score itself: no autosave beside it. */
  form.addEventListener("submit", function () {
    leaving = true;
    window.clearTimeout(timer);
  });

  /* back from the review page (the browser's page cache): autosave again */
  window.addEventListener("pageshow", function () {
    leaving = false;
  });
  window.addEventListener("online", send);
  window.setInterval(send, RETRY_MS);

  /* scores typed on an earlier visit and never sent: back into the fields, then sent */
  var unsent = read(key);
  Object.keys(unsent).forEach(function (code) {
    var input = form.querySelector('input[data-part="' + code + '"]');
    if (input) {
      input.value = unsent[code];
    } else {
      delete unsent[code];
    }
  });
  write(key, unsent);
  if (Object.keys(unsent).length) {
    show("offline");
    send();
  }
})();
