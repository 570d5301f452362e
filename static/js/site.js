// Behaviour every page shares, kept out of the markup (the Content-Security-Policy allows no inline
// script): a <select data-submit-on-change> submits its form when a value is chosen; a <form data-confirm>
// asks its question before it is sent; a table wider than its box says that it scrolls and can be
// scrolled from the keyboard (WCAG 2.1.1).
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
  var hint = document.body.dataset.scrollHint || "";
  function markScrolling() {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls === box.classList.contains("scrolls")) { return; }
      box.classList.toggle("scrolls", scrolls);
      if (scrolls) {
        var caption = box.querySelector("caption");
        var section = box.closest("section");
        var heading = caption || (section && section.querySelector("h2, h3"));
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", ((heading ? heading.textContent.trim() + " · " : "") + hint).trim());
        var note = document.createElement("p");
        note.className = "scroll-hint";
        note.setAttribute("aria-hidden", "true");
        note.textContent = "← " + hint + " →";
        box.parentNode.insertBefore(note, box);
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        var previous = box.previousElementSibling;
        if (previous && previous.className === "scroll-hint") { previous.remove(); }
      }
    });
  }
  markScrolling();
  window.addEventListener("resize", markScrolling);
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-submit-on-change") && target.form) {
      target.form.submit();
    }
  });
})();
