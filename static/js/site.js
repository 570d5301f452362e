// Behaviour every page shares, kept out of the markup (the Content-Security-Policy allows no inline
// script): a <select data-submit-on-change> submits its form when a value is chosen; a <form data-confirm>
// asks its question before it is sent.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change") && target.form) {
      target.form.submit();
    }
  });
})();
