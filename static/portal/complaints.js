// Progressive enhancement of the complaint forms: every page works without it.
(function () {
  "use strict";
  var region = document.querySelector("select[data-autosubmit]");
  if (region) {
    region.addEventListener("change", function () { region.form.submit(); });
    var button = region.form.querySelector("[data-hide-with-js]");
    if (button) { button.hidden = true; }
  }
  var anonymous = document.getElementById("id_anonymous");
  var contact = document.getElementById("contact-fields");
  if (anonymous && contact) {
    var sync = function () { contact.hidden = anonymous.checked; };
    anonymous.addEventListener("change", sync);
    sync();
  }
  var description = document.getElementById("id_description");
  var counter = document.getElementById("description-count");
  if (description && counter) {
    var max = parseInt(description.getAttribute("maxlength"), 10);
    var count = function () { counter.textContent = description.value.length + " / " + max; };
    description.addEventListener("input", count);
    count();
  }
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    var hint = document.querySelector("[data-print-hint]");
    if (hint) { hint.hidden = true; }
    print.addEventListener("click", function () { window.print(); });
  }
  var form = document.getElementById("filing-form");
  if (form) {
    form.addEventListener("submit", function () {
      var once = form.querySelector("[data-once]");
      if (once) { setTimeout(function () { once.disabled = true; }, 0); }
    });
  }
})();
