/* The bulletin composer's figure picker (templates/projects/bulletins/_picker.html): a button
 * copies a figure's reference ({{ insurance.premium }}) to paste into a section's text.
 *
 *   <button type="button" data-copy-text="{{ key }}" data-copied-label="已复制">复制</button>
 *
 * Without the clipboard (an old browser, a page not served over HTTPS) the reference beside the
 * button is selected, to copy by hand. No inline script: the Content-Security-Policy allows the
 * site's own files only.
 */
(function () {
  "use strict";

  function selectBeside(button) {
    var code = button.parentNode && button.parentNode.querySelector("code");
    if (!code || !window.getSelection) {
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function copied(button) {
    var label = button.getAttribute("data-copied-label");
    if (!label) {
      return;
    }
    var before = button.textContent;
    button.textContent = label;
    window.setTimeout(function () {
      button.textContent = before;
    }, 1500);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-copy-text]");
    if (!button) {
      return;
    }
    var text = button.getAttribute("data-copy-text");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () {
          copied(button);
        },
        function () {
          selectBeside(button);
        }
      );
    } else {
      selectBeside(button);
    }
  });
})();
