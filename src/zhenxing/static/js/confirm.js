// Irreversible actions ask first: a form (or its submit button) with data-confirm="…" submits
// only after the person agrees to that text, which says what cannot be undone. Without script
// the form submits as before (the server still refuses what its rules refuse).
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var text = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) event.preventDefault();
  }, true);
})();
