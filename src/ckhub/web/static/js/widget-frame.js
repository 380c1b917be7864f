// Inside the chat widget's frame. The frame's own storage is often refused on other sites
// (third-party storage blocking), so the host page keeps the conversation for us: we tell it
// which conversation this is (or that it was left), and it reopens that one after a reload.
(function () {
  var root = document.getElementById("widget");
  if (!root || window.parent === window) return;
  if (root.dataset.conversation) {
    window.parent.postMessage({ type: "ckhub-widget", conversation: root.dataset.conversation }, "*");
  } else if (root.dataset.forget === "yes") {
    window.parent.postMessage({ type: "ckhub-widget", conversation: null }, "*");
  }
})();

// Keep the newest message in view.
(function () {
  var scrollDown = function () { window.scrollTo(0, document.body.scrollHeight); };
  scrollDown();
  document.body.addEventListener("htmx:afterSwap", scrollDown);
})();
