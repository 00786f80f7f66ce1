// Small behaviours shared by every page (no inline handlers: the Content Security Policy).
// A select marked data-submit-on-change sends its form when changed (the language switch).
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) field.form.submit();
});
// A button marked data-print prints the page (the printable code card).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
