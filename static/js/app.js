// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Focus the error summary, else the first invalid field, after a failed submit.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); return; }
  var invalid = document.querySelector(".field-error input, .field-error select, .field-error textarea");
  if (invalid) { invalid.focus(); }
});
