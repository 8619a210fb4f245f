document.addEventListener("DOMContentLoaded", function () {
  function show(button) {
    // Each agreement has its own source and status line: a button marks characters of its own source only.
    var source = document.getElementById(button.getAttribute("aria-controls"));
    var status = document.getElementById(source.dataset.status);
    var start = Number(button.dataset.start), end = Number(button.dataset.end), text = "", first = null;
    source.querySelectorAll("[data-o]").forEach(function (segment) {
      var offset = Number(segment.dataset.o), on = offset >= start && offset < end;
      segment.classList.toggle("hl", on);
      if (on) { text += segment.textContent; first = first || segment; }
    });
    document.querySelectorAll("button[aria-pressed=true][aria-controls='" + source.id + "']").forEach(function (other) {
    {#- #} other.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
    status.textContent = button.dataset.what + ": characters " + start + " to " + end
    {#- #} + " of the source read \u201c" + text + "\u201d";
    if (first) { first.scrollIntoView({block: "center"}); }
  }
  document.querySelectorAll("button[data-start]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { show(button); });
  });
  var copy = document.getElementById("copy-citation");
  copy.hidden = false;
  copy.addEventListener("click", function () {
    var text = document.getElementById("citation").textContent;
    if (navigator.clipboard) { navigator.clipboard.writeText(text).then(function () { copy.textContent = "Copied"; },
    {#- #} function () {}); }
  });
});
