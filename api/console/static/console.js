// The console's only script: a few conveniences, none needed to use a page (every form and link
// works without it). Loaded from 'self' under a CSP that refuses inline script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // After a refused form, bring the keyboard to the first field in error.
  var invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) {
    invalid.focus();
  }
});
