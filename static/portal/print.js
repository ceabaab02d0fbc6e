// A print button for pages meant to be printed (the complaint's receipt): shown only when
// scripts run, since without them it could do nothing; the browser's own print works anyway.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
