/* Asking for a criteria review: filter the item list as you type, without reloading the page, so the items
 * already ticked stay ticked. Without JavaScript the filter form reloads the page with the filter applied. */
(function () {
  "use strict";

  var form = document.getElementById("pick-filter");
  var list = document.getElementById("pick-list");
  if (!form || !list) {
    return;
  }
  var text = form.querySelector("[name=q]");
  var status = form.querySelector("[name=status]");

  function apply() {
    var words = (text.value || "").trim().toLowerCase();
    var wanted = status.value;
    list.querySelectorAll(".pick-row").forEach(function (row) {
      var matches = (!words || row.dataset.text.indexOf(words) !== -1) && (!wanted || row.dataset.status === wanted);
      row.classList.toggle("hidden", !matches);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  text.addEventListener("input", apply);
  status.addEventListener("change", apply);
})();
