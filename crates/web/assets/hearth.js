// Hearth's page script (served from /assets/, so the strict Content-Security-Policy allows it).
// Pages work without it; with it, GOV.UK Frontend's components are enhanced.
document.body.classList.add('js-enabled');
if ('noModule' in HTMLScriptElement.prototype) {
  document.body.classList.add('govuk-frontend-supported');
}
import('/assets/govuk-frontend.min.js').then(function (govuk) {
  govuk.initAll();
}).catch(function () { /* the pages work without it */ });

// Long forms (marked data-hearth-draft) are kept as a draft while the worker types: at most a
// minute after a change, the answers so far are posted as "Save as draft" would, and the status
// line says when. Without scripts, the "Save as draft" button does the same.
document.querySelectorAll('form[data-hearth-draft]').forEach(function (form) {
  var status = form.querySelector('#draft-status');
  var timer = null;
  var changed = false;
  function keep() {
    timer = null;
    if (!changed) { return; }
    changed = false;
    var body = new URLSearchParams(new FormData(form));
    body.set('draft', 'save');
    body.set('autosave', 'yes');
    fetch(form.action, { method: 'POST', body: body, credentials: 'same-origin', redirect: 'manual' })
      .then(function (r) {
        if (!status) { return; }
        if (r.status === 204) {
          var now = new Date();
          status.textContent = 'Draft saved at ' + now.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' }) + '. It is kept only for you, until you save the form.';
        } else if (r.status === 401) {
          status.textContent = 'Your session has ended. Save the form to sign in again: what you have written is kept.';
        } else {
          status.textContent = 'The draft could not be saved just now. Use "Save as draft" to keep it.';
        }
      })
      .catch(function () {
        if (status) { status.textContent = 'The draft could not be saved just now. Use "Save as draft" to keep it.'; }
      });
  }
  form.addEventListener('input', function () {
    changed = true;
    if (!timer) { timer = setTimeout(keep, 60000); }
  });
});
