// Start GOV.UK Frontend and MoJ Frontend components (error summary focus, radios, navigation).
// MoJ's initAll does not start the GOV.UK components, so both are called.
import { initAll as initGovuk } from "../govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "../moj/moj-frontend.min.js";

initGovuk();
initMoj();

// Parts of a form that apply only to some answers: <div data-app-reveal="field" data-app-reveal-values="A B">
// shows while the named field (a select or radios) has one of the values. Without JavaScript everything
// shows, and the form ignores what does not apply.
// Radios with a GOV.UK conditional panel (data-app-conditional names it) show the panel only while chosen.
// GOV.UK Frontend's own radios script would do this too, but it marks the radio aria-expanded, which a radio
// may not have (axe-core flags it).
function syncReveals(form) {
  for (const part of form.querySelectorAll("[data-app-reveal]")) {
    const field = form.elements.namedItem(part.dataset.appReveal);
    const values = (part.dataset.appRevealValues || "").split(" ");
    part.hidden = !field || !values.includes(field.value);
  }
  for (const input of form.querySelectorAll("input[data-app-conditional]")) {
    const panel = document.getElementById(input.dataset.appConditional);
    if (panel) panel.classList.toggle("govuk-radios__conditional--hidden", !input.checked);
  }
}

for (const form of document.querySelectorAll("form")) {
  if (form.querySelector("[data-app-reveal], [data-app-conditional]")) {
    syncReveals(form);
    form.addEventListener("change", () => syncReveals(form));
  }
}
