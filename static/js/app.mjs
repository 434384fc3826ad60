// Progressive enhancement only: every page works without this script.
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// "Print summary" buttons are hidden until this script can make them work.
for (const button of document.querySelectorAll('[data-module="app-print"]')) {
  button.hidden = false;
  button.addEventListener("click", (event) => {
    event.preventDefault(); // a "Print this page" link goes nowhere
    window.print();
  });
}

// Radios whose option reveals a box ("Other"): show the box only while its option is chosen.
// (GOV.UK's own reveal sets aria-expanded on the radio, which ARIA does not allow on radios.)
for (const group of document.querySelectorAll(".govuk-radios")) {
  const radios = [...group.querySelectorAll("input[type=radio]")];
  const revealing = radios.filter((radio) => radio.dataset.appReveal);
  if (!revealing.length) continue;
  const update = () => {
    for (const radio of revealing) {
      const box = document.getElementById(radio.dataset.appReveal);
      if (box) box.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
    }
  };
  for (const radio of radios) radio.addEventListener("change", update);
  update();
}
