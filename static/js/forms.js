// The server's Indonesian message, not the browser's pop-up in the browser's language, answers a missing or
// malformed field: forms are not validated by the browser (the `required` attributes stay for screen readers).
(function () {
  function serverValidates(root) {
    (root.tagName === "FORM" ? [root] : root.querySelectorAll("form")).forEach(function (form) {
      form.noValidate = true;
    });
  }
  document.addEventListener("DOMContentLoaded", function () { serverValidates(document); });
  document.addEventListener("htmx:load", function (event) { serverValidates(event.target); });
})();
