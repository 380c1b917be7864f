// ckhub chat widget. Add to any page:
//   <script src="https://ckhub.example.com/help/widget.js" async></script>
// Optional attributes: data-language="zh" or "en" (default: the page's lang), data-label (the
// button text). The chat itself runs in a frame served by ckhub; this script only draws the
// button and the frame, and touches nothing else on the page.
(function () {
  var script = document.currentScript;
  if (!script || window.__ckhubWidget) return;
  window.__ckhubWidget = true;
  var base = new URL("/", script.src).href.replace(/\/$/, "");
  var pageLanguage = (script.getAttribute("data-language") || document.documentElement.lang || "zh").toLowerCase();
  var english = pageLanguage.indexOf("en") === 0;
  var label = script.getAttribute("data-label") || (english ? "Ask us" : "在线咨询");
  var closeLabel = english ? "Close the chat" : "关闭对话";

  function style(element, rules) {
    for (var name in rules) element.style.setProperty(name, rules[name]);
    return element;
  }

  var button = style(document.createElement("button"), {
    position: "fixed", right: "20px", bottom: "20px", "z-index": "2147483000",
    padding: "12px 18px", border: "0", "border-radius": "24px", cursor: "pointer",
    background: "#1f6feb", color: "#fff", font: "15px/1.2 system-ui, sans-serif",
    "box-shadow": "0 4px 14px rgba(0,0,0,.25)"
  });
  button.type = "button";
  button.textContent = label;
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("data-ckhub-widget", "button");

  var panel = style(document.createElement("div"), {
    position: "fixed", right: "20px", bottom: "76px", "z-index": "2147483000",
    width: "min(380px, calc(100vw - 40px))", height: "min(560px, calc(100vh - 100px))",
    display: "none", "border-radius": "12px", overflow: "hidden", background: "#fff",
    "box-shadow": "0 8px 30px rgba(0,0,0,.3)"
  });
  panel.setAttribute("role", "dialog");
  panel.setAttribute("aria-label", label);
  panel.setAttribute("data-ckhub-widget", "panel");

  var close = style(document.createElement("button"), {
    position: "absolute", top: "6px", right: "8px", border: "0", background: "transparent",
    "font-size": "20px", cursor: "pointer", color: "#555"
  });
  close.type = "button";
  close.textContent = "×";
  close.setAttribute("aria-label", closeLabel);

  // The conversation is kept here, on the host page: the frame's own storage is often refused.
  var storageKey = "ckhub-widget:" + base;
  function remembered() {
    try { return window.localStorage.getItem(storageKey); } catch (refused) { return null; }
  }
  function remember(conversation) {
    try {
      if (conversation) window.localStorage.setItem(storageKey, conversation);
      else window.localStorage.removeItem(storageKey);
    } catch (refused) { /* then the next page starts a new conversation */ }
  }

  var frame = null;
  window.addEventListener("message", function (event) {
    if (!frame || event.source !== frame.contentWindow || event.origin !== new URL(base).origin) return;
    var data = event.data || {};
    if (data.type !== "ckhub-widget") return;
    remember(typeof data.conversation === "string" ? data.conversation : null);
  });

  function open() {
    if (!frame) {  // the chat loads on first open, not with every page view
      frame = style(document.createElement("iframe"), { border: "0", width: "100%", height: "100%" });
      frame.title = label;
      var conversation = remembered();
      frame.src = conversation
        ? base + "/help/widget/c/" + encodeURIComponent(conversation)
        : base + "/help/widget?lang=" + (english ? "en" : "zh");
      panel.appendChild(frame);
    }
    panel.style.display = "block";
    button.setAttribute("aria-expanded", "true");
  }
  function hide() {
    panel.style.display = "none";
    button.setAttribute("aria-expanded", "false");
    button.focus();
  }
  button.addEventListener("click", function () {
    if (panel.style.display === "block") hide(); else open();
  });
  close.addEventListener("click", hide);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panel.style.display === "block") hide();
  });

  panel.appendChild(close);
  function mount() {
    document.body.appendChild(panel);
    document.body.appendChild(button);
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
