// Small progressive enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", function () {
  // Focus the error summary, else the first invalid field, after a failed submit.
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); return; }
  var invalid = document.querySelector(".field-error input, .field-error select, .field-error textarea");
  if (invalid) { invalid.focus(); }
});

// Staff picker: show the search box (it needs htmx), keep Enter in it from submitting the
// form, and move a chosen search result into the list so the next search keeps it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-staff-search]").forEach(function (box) {
    box.hidden = false;
    var input = box.querySelector("input[type=search]");
    if (input) {
      input.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); event.stopPropagation(); }
      });
    }
  });
});
document.addEventListener("change", function (event) {
  var input = event.target;
  var results = input.closest && input.closest("[data-staff-results]");
  if (!results || !input.checked) { return; }
  var chosen = input.closest("[data-staff-picker]").querySelector("[data-staff-chosen]");
  chosen.appendChild(input.closest(".choice"));
  input.focus();
});
