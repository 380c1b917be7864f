// Sends the CSRF token with every HTMX request, so partial updates pass the same check as forms.
document.addEventListener("htmx:configRequest", function (event) {
  event.detail.headers["X-CSRF-Token"] = document.body.dataset.csrfToken;
});
