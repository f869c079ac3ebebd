// Citation box on a circular page: fills in today's date as the access date, makes the permanent URL
// absolute when the site was built with a path only, and copies the citation or the link. Nothing is sent
// anywhere: the text goes to the reader's clipboard and nowhere else.
(function () {
  "use strict";
  var box = document.querySelector(".cite-box");
  if (!box) return;
  var link = document.getElementById("alamat-tetap");
  if (link && link.textContent.charAt(0) === "/") {
    var absolute = location.origin + link.getAttribute("data-path");
    link.textContent = absolute;
    box.querySelectorAll(".kutipan-url").forEach(function (el) { el.textContent = absolute; });
  }
  var accessed = document.getElementById("tanggal-akses");
  if (accessed) {
    accessed.textContent = new Intl.DateTimeFormat("id-ID", {day: "numeric", month: "long", year: "numeric"})
      .format(new Date());
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
      var what = source.id === "kutipan" ? "Kutipan" : "Tautan";
      if (!navigator.clipboard || !window.isSecureContext) {
        selectText(source);
        say(what + " sudah dipilih; salin dengan menu atau Ctrl+C.");
        return;
      }
      navigator.clipboard.writeText(text).then(function () {
        say(what + " disalin.");
      }, function () {
        selectText(source);
        say(what + " sudah dipilih; salin dengan menu atau Ctrl+C.");
      });
    });
  });
  box.querySelector(".copy-buttons").hidden = false;
})();
