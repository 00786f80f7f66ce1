// Behaviour every page shares, without inline handlers (the Content Security Policy forbids
// them): a <select data-autosubmit> sends its form on change; a <button data-print> prints.
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (field && field.form) field.form.submit();
});
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
