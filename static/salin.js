// Citation box on a circular page: fills in today's date as the access date, makes the permanent URL
// absolute when the site was built with a path only, and copies the citation or the link. Nothing is sent
// anywhere: the text goes to the reader's clipboard and nowhere else.
(function () {
  "use strict";
  var box = document.querySelector(".cite-box");
  if (!box) return;
  // The words it says come from the page (data-teks: the catalogue's "cite_script" keys).
  var TEXT = JSON.parse(box.getAttribute("data-teks"));

  function t(key) {
    if (typeof TEXT[key] !== "string") throw new Error("no text for \"" + key + "\" in data-teks");
    return TEXT[key];
  }

  var link = document.getElementById("alamat-tetap");
  if (link && link.textContent.charAt(0) === "/") {
    var absolute = location.origin + link.getAttribute("data-path");
    link.textContent = absolute;
    document.querySelectorAll(".kutipan-url").forEach(function (el) { el.textContent = absolute; });
  }
  var accessed = document.getElementById("tanggal-akses");
  if (accessed) {
    // In the page's language, like the rest of the citation.
    var format = new Intl.DateTimeFormat(document.documentElement.lang || "id-ID",
      {day: "numeric", month: "long", year: "numeric"});
    accessed.textContent = format.format(new Date());
  }
  var status = box.querySelector(".copy-status");

  function say(text) {
    status.textContent = "";
    // A fresh text each time, so a screen reader announces a second copy too.
    setTimeout(function () { status.textContent = text; }, 50);
  }

  function selectText(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  box.querySelectorAll("button[data-salin]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-salin"));
      var text = source.textContent.replace(/\s+/g, " ").trim();
      var citation = source.id === "kutipan";
      var selected = citation ? t("citation_selected") : t("link_selected");
      if (!navigator.clipboard || !window.isSecureContext) {
        selectText(source);
        say(selected);
        return;
      }
      navigator.clipboard.writeText(text).then(function () {
        say(citation ? t("citation_copied") : t("link_copied"));
      }, function () {
        selectText(source);
        say(selected);
      });
    });
  });
  box.querySelector(".copy-buttons").hidden = false;
})();
