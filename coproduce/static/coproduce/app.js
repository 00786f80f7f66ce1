// Small behaviours shared by every page (no inline handlers: the Content Security Policy).
// A select marked data-submit-on-change (or data-autosubmit) sends its form when changed.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change], [data-autosubmit]");
  if (field && field.form) field.form.submit();
});
// A button marked data-print prints the page (the printable code card).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});
// A table wider than the screen scrolls inside its box: the box takes the keyboard's focus so
// that it can be scrolled without a mouse (axe-core: scrollable-region-focusable).
function focusableScrollers(root) {
  root.querySelectorAll(".table-wrap").forEach((box) => {
    if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) box.tabIndex = 0;
  });
}
document.addEventListener("DOMContentLoaded", () => focusableScrollers(document));
document.addEventListener("htmx:afterSwap", (event) => focusableScrollers(event.target));
