// Hearth's page script (served from /assets/, so the strict Content-Security-Policy allows it).
// Pages work without it; with it, GOV.UK Frontend's components are enhanced.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported');
}
import('/assets/govuk-frontend.min.js').then(function (govuk) {
  govuk.initAll();
}).catch(function () { /* the pages work without it */ });
