/* gonghui: the site's few behaviours, driven by data- attributes. No inline script or event
 * handler anywhere in the templates: the Content-Security-Policy allows scripts from the site's
 * own files only (script-src 'self', docs/deploy.md). Every listener is delegated from the
 * document, so the behaviours also work on parts that htmx swaps in later.
 *
 *   <select data-autosubmit>              submits its form when the choice changes
 *   <button data-confirm="question?">     asks first; "cancel" stops the click (and the submit)
 *   <button data-print>                   opens the print dialog
 *   <input type=checkbox data-check-all="selector">  ticks or clears every box the selector finds
 *   <a data-history-back href="/">        goes back one page (the href is the fallback)
 *   <form data-fill-code-from-hash="id">  copies #code=… from the address into that field
 *   <form data-reset-on-created="id">     after an htmx request answered 201: clear the form
 *                                         and the element with that id (its error messages)
 */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) {
      target.form.submit();
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!target.closest) {
      return;
    }
    var asking = target.closest("[data-confirm]");
    if (asking && !window.confirm(asking.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    if (target.closest("[data-print]")) {
      window.print();
      return;
    }
    var back = target.closest("a[data-history-back]");
    if (back && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
      return;
    }
    var all = target.closest("input[type=checkbox][data-check-all]");
    if (all) {
      document.querySelectorAll(all.getAttribute("data-check-all")).forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });

  document.body.addEventListener("htmx:afterRequest", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-reset-on-created]")) {
      return;
    }
    if (event.detail.successful && event.detail.xhr.status === 201) {
      form.reset();
      var errors = document.getElementById(form.getAttribute("data-reset-on-created"));
      if (errors) {
        errors.textContent = "";
      }
    }
  });

  // A one-time link carries its code in the fragment (#code=…), never sent to the server.
  document.querySelectorAll("form[data-fill-code-from-hash]").forEach(function (form) {
    var match = /code=([A-Za-z0-9-]+)/.exec(window.location.hash);
    var field = document.getElementById(form.getAttribute("data-fill-code-from-hash"));
    if (match && field && !field.value) {
      field.value = match[1];
    }
  });
})();
