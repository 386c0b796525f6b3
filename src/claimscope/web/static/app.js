// claimscope web: show where a highlighted item comes from. No inline script anywhere (CSP).
"use strict";
(function () {
  function pieces(id) {
    return document.querySelectorAll('[data-items~="' + CSS.escape(id) + '"]');
  }
  function light(ids, on) {
    ids.forEach(function (id) { pieces(id).forEach(function (el) { el.classList.toggle("lit", on); }); });
  }
  function show(ids) {
    var panel = document.getElementById("source-panel");
    if (!panel) { return; }
    var shown = 0;
    panel.querySelectorAll("[data-card]").forEach(function (card) {
      var on = ids.indexOf(card.getAttribute("data-card")) >= 0;
      card.hidden = !on;
      shown += on ? 1 : 0;
    });
    var hint = panel.querySelector(".hint");
    if (hint) { hint.hidden = shown > 0; }
  }
  function idsOf(el) {
    var raw = el.getAttribute("data-items") || el.getAttribute("data-item") || "";
    return raw.split(" ").filter(Boolean);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var text = document.getElementById("text");
    if (!text) { return; }
    var lit = [];
    text.addEventListener("mouseover", function (ev) {
      var el = ev.target.closest("[data-items]");
      light(lit, false);
      lit = el ? idsOf(el) : [];
      light(lit, true);
    });
    text.addEventListener("click", function (ev) {
      var el = ev.target.closest("[data-items], [data-item]");
      if (el) { show(idsOf(el)); }
    });
    document.querySelectorAll(".wsw tr[data-item], .flags li[data-item]").forEach(function (row) {
      function pick() {
        var ids = idsOf(row);
        show(ids);
        light(lit, false);
        lit = ids;
        light(lit, true);
        var first = pieces(ids[0])[0];
        if (first) { first.scrollIntoView({block: "center", behavior: "smooth"}); }
      }
      row.addEventListener("click", pick);
      row.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { pick(); } });
    });
  });
})();
