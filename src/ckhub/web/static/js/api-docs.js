// Starts Swagger UI from a file, because the Content-Security-Policy forbids inline scripts.
window.addEventListener("load", function () {
  var root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({ url: root.dataset.openapiUrl, dom_id: "#swagger-ui" });
});
